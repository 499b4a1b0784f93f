package dev.rlhf.service.jobs.service;

import dev.rlhf.core.jobs.ConfinedJobRunner;
import dev.rlhf.core.jobs.JobPaths;
import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.PathRoots;
import dev.rlhf.service.jobs.config.ApiConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * One job queue per service, running the service's {@link JobRunner} (SFT, reward model or PPO). Jobs come from the
 * network here, so every path a spec names must lie inside {@code rlhf.api.path-roots}: the service also produces the
 * {@link JobPaths} of its kind of job.
 */
public class JobQueueProducer {

    @Produces
    @Singleton
    JobQueue jobQueue(JobRunner runner, JobPaths paths, ApiConfig api) {
        return new JobQueue(new ConfinedJobRunner(runner, paths, PathRoots.of(api.pathRoots())));
    }

    void close(@Disposes JobQueue queue) throws InterruptedException {
        queue.close();
    }
}
