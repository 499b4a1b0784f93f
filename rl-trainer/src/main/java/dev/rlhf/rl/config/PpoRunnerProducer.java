package dev.rlhf.rl.config;

import dev.rlhf.core.jobs.JobPaths;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.rl.job.PpoJobRunner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's jobs: PPO runs (learner, workers, or everything in this JVM). */
public class PpoRunnerProducer {

    @Produces
    @Singleton
    JobRunner ppoRunner(RlServiceConfig config) {
        return new PpoJobRunner(config.configDirs(), config.gatewayJar());
    }

    /** The files a PPO job names: the job API confines them to {@code rlhf.api.path-roots}. */
    @Produces
    @Singleton
    JobPaths ppoPaths(RlServiceConfig config) {
        return JobPaths.fromConfig(PpoConfig.loader(), PpoConfig.class, config.configDirs());
    }
}
