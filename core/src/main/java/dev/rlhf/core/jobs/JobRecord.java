package dev.rlhf.core.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link JobStore} keeps of a job, so that a restarted service still lists it: its spec (kind included), state,
 * run directory, times (ISO-8601, UTC) and error. Written as {@code <state-dir>/<id>.json} at every change of state.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(
        String id,
        List<String> configs,
        String body,
        List<String> overrides,
        JobState state,
        @JsonProperty("run_dir") String runDir,
        String submitted,
        String started,
        String ended,
        String error,
        String kind) {

    public JobSpec spec() {
        return new JobSpec(
                configs == null ? List.of() : configs,
                body,
                overrides == null ? List.of() : overrides,
                Optional.ofNullable(kind));
    }
}
