package dev.rlhf.core.config;

import java.util.List;

/**
 * A job config that names files or directories (models, data, tokenizers, the output directory, checkpoints). Each
 * config record lists its own path-valued keys here, so that whoever adds a path key adds it where the key is
 * declared, and a service that accepts configs from the network can confine every one of them.
 */
public interface PathValuedConfig {

    /** Every path the config sets, keyed as written in YAML; keys left unset (null or absent) are left out. */
    List<ConfigPath> paths();
}
