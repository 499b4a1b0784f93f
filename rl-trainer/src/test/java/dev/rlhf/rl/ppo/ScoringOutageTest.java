package dev.rlhf.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.config.PpoConfig;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * When the scoring server (reward and reference models) goes away in the middle of a PPO job, the job fails with a
 * message naming the endpoint; submitted again once the server is back, it resumes from its last checkpoint and
 * finishes, training each iteration once.
 */
@QuarkusTest
class ScoringOutageTest {

    private static final int ITERATIONS = 10;
    private static final Path GATEWAY =
            TinyPpoFiles.ROOT.resolve("inference-gateway/target/quarkus-app/quarkus-run.jar");

    @Test
    void aJobFailsNamingTheDownEndpointAndResumesWhenItIsBack() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-outage"));
        int port = freePort();
        String endpoint = "127.0.0.1:" + port;
        String body = files.config(
                ITERATIONS,
                8,
                "scoring: {endpoint: '" + endpoint + "', deadline_ms: 2000, attempts: 2}",
                "exp: outage");
        PpoConfig config = files.bind(body);
        Path scoringDir = Files.createDirectories(files.dir.resolve("scoring"));

        String first;
        try (EmbeddedScoring scoring = EmbeddedScoring.start(config, scoringDir, GATEWAY, port)) {
            first = JobApi.submit(body);
            JobApi.awaitStep(first, 2, Duration.ofMinutes(4));
            scoring.kill(); // at once, in the middle of the job (a graceful stop could let it finish)
        }
        JsonPath failed = JobApi.awaitEnd(first, Duration.ofMinutes(3));
        assertEquals("failed", failed.getString("state"), failed.prettify());
        assertTrue(failed.getString("error").contains(endpoint), "names the endpoint: " + failed.getString("error"));
        Path run = Path.of(failed.getString("run_dir"));
        long checkpointed = LearnerState.read(run.resolve("checkpoints/last")).iteration();
        assertTrue(checkpointed >= 2, "checkpointed before the outage: " + checkpointed);

        try (EmbeddedScoring scoring = EmbeddedScoring.start(config, scoringDir, GATEWAY, port)) {
            String second = JobApi.submit(body);
            JsonPath done = JobApi.awaitEnd(second, Duration.ofMinutes(4));
            assertEquals("succeeded", done.getString("state"), done.prettify());
            assertEquals(run.toString(), done.getString("run_dir"));
        }
        assertEquals(
                ITERATIONS, LearnerState.read(run.resolve("checkpoints/last")).iteration());
        List<Long> iterations = Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8).stream()
                .map(line -> iteration(line))
                .toList();
        assertEquals(
                LongStream.rangeClosed(1, ITERATIONS).boxed().toList(),
                iterations,
                "each iteration logged once, in order");
    }

    private static long iteration(String line) {
        try {
            return new ObjectMapper().readTree(line).get("iteration").asLong();
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
