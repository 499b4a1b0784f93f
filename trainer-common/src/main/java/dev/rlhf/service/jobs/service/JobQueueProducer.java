package dev.rlhf.service.jobs.service;

import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobRunner;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One job queue per service, running the service's {@link JobRunner} (SFT, reward model or PPO). */
public class JobQueueProducer {

    @Produces
    @Singleton
    JobQueue jobQueue(JobRunner runner) {
        return new JobQueue(runner);
    }

    void close(@Disposes JobQueue queue) throws InterruptedException {
        queue.close();
    }
}
