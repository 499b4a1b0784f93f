package dev.rlhf.gateway.bench;

import dev.rlhf.proto.client.ClientOptions;
import dev.rlhf.proto.client.InferenceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged gateway ({@code quarkus-run.jar}) started as a separate process, as a deployment runs it. */
final class GatewayProcess implements AutoCloseable {

    private final Process process;

    GatewayProcess(Path jar, Path repo, int port, boolean batching, List<String> properties, Path log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: run ./mvnw -B -q -pl inference-gateway -am install -DskipTests");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgateway.repo=" + repo,
                "-Dquarkus.http.port=" + port,
                "-Dgateway.batching.enabled=" + batching));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        process = builder.start();
        awaitReady("localhost:" + port, log);
    }

    private void awaitReady(String endpoint, Path log) throws InterruptedException {
        ClientOptions options =
                ClientOptions.defaults().withDeadline(Duration.ofSeconds(2)).withMaxAttempts(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + log);
            }
            try (InferenceClient client = new InferenceClient(endpoint, options)) {
                if (client.serverReady()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the gateway did not become ready in 120 s; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
