package dev.rlhf.core.jobs;

import java.util.List;

/**
 * What to run: the config document as posted (YAML or JSON) and the named configs and overrides composed under it.
 *
 * @param configNames named configs composed in order, e.g. {@code defaults tiny-llama hh-sft}
 * @param body a YAML or JSON document composed last (may be empty)
 * @param overrides {@code key.path=value} overrides applied after everything else
 */
public record JobSpec(List<String> configNames, String body, List<String> overrides) {

    public JobSpec {
        configNames = List.copyOf(configNames);
        body = body == null ? "" : body;
        overrides = List.copyOf(overrides);
    }

    public static JobSpec ofBody(String body) {
        return new JobSpec(List.of(), body, List.of());
    }
}
