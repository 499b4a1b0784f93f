package dev.rlhf.service.jobs.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rlhf.core.jobs.Job;
import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.PathRoots;
import java.util.Map;

/** A job as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        String state,
        @JsonProperty("run_dir") String runDir,
        @JsonProperty("queue_position") Integer queuePosition,
        Long step,
        @JsonProperty("total_steps") Long totalSteps,
        Map<String, Object> metrics,
        String error,
        String submitted,
        String started,
        String ended) {

    /** The job as the API shows it; its error says paths relative to {@code roots}, like every error answer. */
    public static JobView of(Job job, JobQueue queue, PathRoots roots) {
        Job.MetricsPoint latest = job.latest();
        int position = queue.queuePosition(job);
        return new JobView(
                job.id(),
                job.state().name().toLowerCase(java.util.Locale.ROOT),
                job.runDir().toString(),
                position > 0 ? position : null,
                latest == null ? null : latest.step(),
                latest == null ? null : latest.totalSteps(),
                latest == null ? null : latest.values(),
                roots.relativize(job.error()),
                job.submitted().toString(),
                job.started() == null ? null : job.started().toString(),
                job.ended() == null ? null : job.ended().toString());
    }
}
