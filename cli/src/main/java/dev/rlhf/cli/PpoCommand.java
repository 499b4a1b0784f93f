package dev.rlhf.cli;

import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.rl.job.PpoJobRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rlhf ppo --configs tiny-ppo}: one PPO job in this JVM (learner, rollout workers, or both with an embedded
 * broker and scoring), the same {@code PpoJobRunner} the rl-trainer service's {@code POST /jobs} runs.
 */
@Command(
        name = "ppo",
        mixinStandardHelpOptions = true,
        description = "PPO: learner and rollout workers over Kafka, reward and reference over KServe v2 gRPC, e.g. "
                + "--configs tiny-ppo (role all: embedded broker and scoring) or --configs cluster --set role=worker. "
                + "Resumes from checkpoints/last (resume: auto).")
final class PpoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Mixin
    GatewayJar gateway;

    @Option(names = "--config-dir", defaultValue = "configs/ppo", description = "Default ${DEFAULT-VALUE}.")
    Path configDir;

    @Option(
            names = "--health-port",
            paramLabel = "PORT",
            description = "Answer GET /q/health/live, /ready and /started on this port while the job runs "
                    + "(Kubernetes probes of a learner or worker pod).")
    Integer healthPort;

    @Override
    public Integer call() throws Exception {
        try (HealthEndpoint health = healthPort == null ? null : HealthEndpoint.start(healthPort)) {
            PreparedJob prepared = new PpoJobRunner(List.of(configDir), gateway.path()).prepare(job.spec());
            spec.commandLine().getOut().println("run directory: " + prepared.runDir());
            prepared.run(new ProgressBar(spec.commandLine().getErr()));
            spec.commandLine().getOut().println("\ndone: " + prepared.runDir());
            return 0;
        }
    }
}
