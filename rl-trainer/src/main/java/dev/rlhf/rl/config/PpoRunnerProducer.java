package dev.rlhf.rl.config;

import dev.rlhf.core.eval.EvalConfig;
import dev.rlhf.core.eval.EvalJobRunner;
import dev.rlhf.core.jobs.JobKinds;
import dev.rlhf.core.jobs.JobPaths;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.rl.job.PpoJobRunner;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's jobs: PPO runs (learner, workers, or everything in this JVM), the default kind, and evaluations
 * ({@code POST /jobs?kind=eval}: models judged against the first by a reward model and / or an LLM judge).
 */
public class PpoRunnerProducer {

    /** Typed as itself only: the runner and the paths below are the beans the job API injects. */
    @Produces
    @Singleton
    @Typed(JobKinds.class)
    JobKinds kinds(RlServiceConfig config) {
        Map<String, JobKinds.Kind> kinds = new LinkedHashMap<>();
        kinds.put(
                "ppo",
                new JobKinds.Kind(
                        new PpoJobRunner(config.configDirs(), config.gatewayJar()),
                        JobPaths.fromConfig(PpoConfig.loader(), PpoConfig.class, config.configDirs())));
        kinds.put(
                "eval",
                new JobKinds.Kind(
                        new EvalJobRunner(config.evalConfigDirs()),
                        JobPaths.fromConfig(EvalConfig.loader(), EvalConfig.class, config.evalConfigDirs())));
        return new JobKinds(kinds);
    }

    @Produces
    @Singleton
    JobRunner runner(JobKinds kinds) {
        return kinds;
    }

    /** The files (and endpoints) a job names: the job API confines them to {@code rlhf.api.path-roots}. */
    @Produces
    @Singleton
    JobPaths paths(JobKinds kinds) {
        return kinds;
    }
}
