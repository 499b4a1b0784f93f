package dev.rlhf.core.config;

import java.util.List;

/** A job config that names network endpoints the job dials; a service confines them to its allow-list. */
public interface EndpointValuedConfig {

    /** Every endpoint the job will dial, keyed by config key; in-process ({@code embedded}) ones are not listed. */
    List<ConfigEndpoint> endpoints();
}
