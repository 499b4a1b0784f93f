package dev.rlhf.service.jobs.health;

import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobState;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the job queue is up; reports how many jobs run and wait. */
@Readiness
public class JobQueueHealth implements HealthCheck {

    private final JobQueue queue;

    public JobQueueHealth(JobQueue queue) {
        this.queue = queue;
    }

    @Override
    public HealthCheckResponse call() {
        long running =
                queue.list().stream().filter(j -> j.state() == JobState.RUNNING).count();
        long queued =
                queue.list().stream().filter(j -> j.state() == JobState.QUEUED).count();
        return HealthCheckResponse.named("job-queue")
                .up()
                .withData("running", running)
                .withData("queued", queued)
                .build();
    }
}
