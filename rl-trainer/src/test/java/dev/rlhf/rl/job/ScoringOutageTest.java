package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.rl.config.RlServiceConfig;
import dev.rlhf.rl.learner.LearnerState;
import dev.rlhf.rl.net.FreePort;
import dev.rlhf.rl.testing.TinyPpoFiles;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
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

    @Inject
    RlServiceConfig rl; // the gateway jar embedded scoring starts

    private static final int ITERATIONS = 10;

    @Test
    void aJobFailsNamingTheDownEndpointAndResumesWhenItIsBack() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-outage"));
        int port = FreePort.loopback();
        String endpoint = "127.0.0.1:" + port;
        String body = files.config(
                ITERATIONS,
                8,
                "scoring: {endpoint: '" + endpoint + "', deadline_ms: 2000, attempts: 2}",
                "exp: outage");
        PpoConfig config = files.bind(body);
        Path scoringDir = Files.createDirectories(files.dir.resolve("scoring"));

        String first;
        try (EmbeddedScoring scoring = EmbeddedScoring.start(config, scoringDir, rl.gatewayJar(), port)) {
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

        try (EmbeddedScoring scoring = EmbeddedScoring.start(config, scoringDir, rl.gatewayJar(), port)) {
            String second = JobApi.submit(body);
            JsonPath done = JobApi.awaitEnd(second, Duration.ofMinutes(4));
            assertEquals("succeeded", done.getString("state"), done.prettify());
            assertEquals(run.toString(), done.getString("run_dir"));
        }
        assertEquals(
                ITERATIONS, LearnerState.read(run.resolve("checkpoints/last")).iteration());
        List<Long> iterations = RunDirectory.open(run).metrics().read().stream()
                .map(m -> ((Number) m.get("iteration")).longValue())
                .toList();
        assertEquals(
                LongStream.rangeClosed(1, ITERATIONS).boxed().toList(),
                iterations,
                "each iteration logged once, in order");
    }
}
