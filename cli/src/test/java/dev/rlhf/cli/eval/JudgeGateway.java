package dev.rlhf.cli.eval;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged inference gateway ({@code quarkus-run.jar}, built before this module's tests) serving a model over the
 * OpenAI chat API on a free loopback port: a real judge over real HTTP for the evaluation's tests.
 */
public final class JudgeGateway implements AutoCloseable {

    static final Path JAR =
            Path.of("..").toAbsolutePath().normalize().resolve("inference-gateway/target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int port;

    private JudgeGateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Serves {@code model} as {@code name}, with {@code properties} ({@code -Dkey=value}) added; ready on return. */
    public static JudgeGateway start(Path model, String name, Path log, String... properties) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR + " is missing: ./mvnw -B -pl inference-gateway -am install -DskipTests");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dgateway.policy.path=" + model,
                "-Dgateway.policy.name=" + name));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        JudgeGateway gateway = new JudgeGateway(builder.start(), port);
        gateway.awaitReady(log);
        return gateway;
    }

    /** The OpenAI API root, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Path log) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest models = HttpRequest.newBuilder(URI.create(baseUrl() + "/models"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(models, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the gateway was not ready within 120 s; see " + log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
