package dev.rlhf.rm.config;

import dev.rlhf.core.jobs.JobPaths;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.rm.RmConfig;
import dev.rlhf.core.rm.RmJobRunner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's jobs are the core library's reward-model jobs, the same ones {@code ./rlhf rm train} runs. */
public class RmRunnerProducer {

    @Produces
    @Singleton
    JobRunner rmRunner(RmServiceConfig config) {
        return new RmJobRunner(config.configDirs());
    }

    /** The files a reward-model job names: the job API confines them to {@code rlhf.api.path-roots}. */
    @Produces
    @Singleton
    JobPaths rmPaths(RmServiceConfig config) {
        return JobPaths.fromConfig(RmConfig.loader(), RmConfig.class, config.configDirs());
    }
}
