package dev.rlhf.rl.job;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.export.ExportOptions;
import dev.rlhf.core.export.ModelRepository;
import dev.rlhf.core.export.ServingRole;
import dev.rlhf.core.export.TritonConfigs;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.ppo.StartingPolicy;
import dev.rlhf.proto.client.ClientOptions;
import dev.rlhf.proto.client.InferenceClient;
import dev.rlhf.rl.net.FreePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scoring for {@code scoring.endpoint: embedded}: exports the reference (the starting policy; not for a LoRA policy,
 * whose workers take the reference from their own base with the adapters off) and the reward model (when the job's
 * rewards name it; rule rewards run in the workers) into the run's Triton repository ({@code <run>/export}) and serves
 * it with the inference gateway on a free loopback
 * port, so the job talks KServe v2 over gRPC exactly as it would to Triton. The gateway runs as a child JVM
 * ({@code inference-gateway/target/quarkus-app/quarkus-run.jar}, built with the project) and stops with the job.
 */
public final class EmbeddedScoring implements AutoCloseable {

    private final Process process;
    private final String endpoint;

    private EmbeddedScoring(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static EmbeddedScoring start(PpoConfig config, Path runDir, Path gatewayJar) throws IOException {
        return start(config, runDir, gatewayJar, FreePort.loopback());
    }

    /** Serves on the given loopback port (a test restarts scoring where a job expects it). */
    public static EmbeddedScoring start(PpoConfig config, Path runDir, Path gatewayJar, int port) throws IOException {
        if (!Files.isRegularFile(gatewayJar)) {
            throw new IllegalArgumentException("scoring.endpoint=embedded needs the gateway at " + gatewayJar
                    + " (build it: ./mvnw -pl inference-gateway -am package -DskipTests)");
        }
        Path repo = runDir.resolve("export");
        export(config, repo);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgateway.repo=" + repo.toAbsolutePath(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-jar",
                gatewayJar.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(runDir.resolve("gateway.log").toFile())
                .start();
        EmbeddedScoring scoring = new EmbeddedScoring(process, "127.0.0.1:" + port);
        scoring.awaitReady(config, Duration.ofMinutes(2));
        return scoring;
    }

    private static void export(PpoConfig config, Path repo) {
        TritonConfigs.Serving serving = new TritonConfigs.Serving(64, false, 1, 2000);
        Path policy = config.policy().path();
        if (!config.referenceIsAdapterOff()) {
            try (LanguageModel reference = StartingPolicy.load(config.policy())) {
                ModelRepository.write(
                        repo,
                        config.scoring().referenceModel(),
                        reference.block(),
                        ExportOptions.logProbs(ServingRole.REF),
                        serving,
                        policy);
            }
        }
        if (!config.rewardSources().usesRewardModel()) {
            return; // rules only: they run in the workers
        }
        Path rmDir = config.policy().rewardModel().orElseThrow();
        try (RewardModel rm = HfCheckpoint.loadRewardModel(rmDir, null)) {
            ModelRepository.write(
                    repo,
                    config.scoring().rewardModel(),
                    rm.languageModel().block(),
                    ExportOptions.rewardModel(rm.head().weight().getArray()),
                    serving,
                    rmDir);
        }
    }

    private void awaitReady(PpoConfig config, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (InferenceClient client = new InferenceClient(
                endpoint, ClientOptions.defaults().withMaxAttempts(1).withToken(System.getenv("GATEWAY_TOKEN")))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the embedded gateway exited with " + process.exitValue()
                            + "; see gateway.log in the run directory");
                }
                try {
                    boolean rewardReady = !config.rewardSources().usesRewardModel()
                            || client.modelReady(config.scoring().rewardModel());
                    boolean referenceReady = config.referenceIsAdapterOff()
                            || client.modelReady(config.scoring().referenceModel());
                    if (rewardReady && referenceReady) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // the server is still starting
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the embedded gateway at " + endpoint + " was not ready within "
                            + timeout.toSeconds() + " s; see gateway.log in the run directory");
                }
                sleep(250);
            }
        }
    }

    public String endpoint() {
        return endpoint;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the gateway", e);
        }
    }

    /** Stops the gateway at once, as a crash would (tests of a scoring outage). */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
