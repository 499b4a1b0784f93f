package dev.rlhf.sft.config;

import dev.rlhf.core.jobs.JobPaths;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.sft.SftConfig;
import dev.rlhf.core.sft.SftJobRunner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's jobs are the core library's SFT jobs, the same ones {@code ./rlhf sft} runs. */
public class SftRunnerProducer {

    @Produces
    @Singleton
    JobRunner sftRunner(SftServiceConfig config) {
        return new SftJobRunner(config.configDirs());
    }

    /** The files an SFT job names: the job API confines them to {@code rlhf.api.path-roots}. */
    @Produces
    @Singleton
    JobPaths sftPaths(SftServiceConfig config) {
        return JobPaths.fromConfig(SftConfig.loader(), SftConfig.class, config.configDirs());
    }
}
