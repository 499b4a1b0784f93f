package dev.rlhf.gateway.bench;

import dev.rlhf.proto.client.ClientOptions;
import dev.rlhf.proto.client.InferenceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The packaged gateway ({@code quarkus-run.jar}) started as a separate process, as a deployment runs it. */
final class GatewayProcess implements AutoCloseable {

    /**
     * The process's resident memory from {@code /proc/<pid>/status}, in MiB.
     *
     * @param residentMb {@code VmRSS}: resident now
     * @param peakMb {@code VmHWM}: the most it has been resident since it started
     */
    record Memory(double residentMb, double peakMb) {}

    private final Process process;
    private final int port;

    GatewayProcess(Path jar, Path repo, int port, boolean batching, List<String> properties, Path log)
            throws IOException, InterruptedException {
        this.port = port;
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

    int port() {
        return port;
    }

    /** CPU seconds (user and system, all threads) the gateway has used since it started. */
    double cpuSeconds() {
        return process.info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
    }

    /** Its resident memory now (Linux: {@code /proc/<pid>/status}). */
    Memory memory() throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        Map<String, Double> kib;
        try (var lines = Files.lines(status)) {
            kib = lines.filter(l -> l.startsWith("VmRSS:") || l.startsWith("VmHWM:"))
                    .collect(Collectors.toMap(
                            l -> l.substring(0, l.indexOf(':')), l -> Double.parseDouble(l.replaceAll("[^0-9]", ""))));
        }
        return new Memory(kib.get("VmRSS") / 1024, kib.get("VmHWM") / 1024);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
