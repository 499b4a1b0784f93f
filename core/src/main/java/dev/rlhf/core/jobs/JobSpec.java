package dev.rlhf.core.jobs;

import java.util.List;
import java.util.Optional;

/**
 * What to run: the config document as posted (YAML or JSON) and the named configs and overrides composed under it.
 *
 * @param configNames named configs composed in order, e.g. {@code defaults tiny-llama hh-sft}
 * @param body a YAML or JSON document composed last (may be empty)
 * @param overrides {@code key.path=value} overrides applied after everything else
 * @param kind which kind of job a service that runs several ({@link JobKinds}) runs; empty: its first
 */
public record JobSpec(List<String> configNames, String body, List<String> overrides, Optional<String> kind) {

    public JobSpec {
        configNames = List.copyOf(configNames);
        body = body == null ? "" : body;
        overrides = List.copyOf(overrides);
        kind = kind == null ? Optional.empty() : kind.filter(k -> !k.isBlank());
    }

    /** A spec for a service's first (or only) kind of job. */
    public JobSpec(List<String> configNames, String body, List<String> overrides) {
        this(configNames, body, overrides, Optional.empty());
    }

    public static JobSpec ofBody(String body) {
        return new JobSpec(List.of(), body, List.of());
    }
}
