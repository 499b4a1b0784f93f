package dev.rlhf.rm.rest;

import static dev.rlhf.service.jobs.testing.JobApi.awaitEnd;
import static dev.rlhf.service.jobs.testing.JobApi.metrics;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.RewardStats;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.service.jobs.testing.TinyHhJob;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job API end to end: a real reward-model job on HH pairs through REST, its metrics, checkpoints and errors. */
@QuarkusTest
class JobResourceTest {

    private static String config(Path output, String exp, int maxSteps) {
        return TinyHhJob.config(output, exp, maxSteps, 64, "2.0e-3", 4);
    }

    @Test
    void aJobPostedAsYamlTrainsAndLeavesARewardModelWithItsStats() throws Exception {
        Path output = Files.createTempDirectory("rm-rest");
        String id = given().contentType("application/yaml")
                .body(config(output, "rest", 8).getBytes(StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(202)
                .body("run_dir", equalTo(output.resolve("rm/rest").toString()))
                .extract()
                .path("id");
        // A hang detector, not a timing: a loaded 2-core box once needed 181 s for this job.
        JsonPath done = awaitEnd(id, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("state"), done.prettify());
        assertEquals(8, done.getInt("step"));

        List<Map<String, Object>> series = metrics(id);
        List<Map<String, Object>> evals =
                series.stream().filter(v -> v.containsKey("eval_accuracy")).toList();
        assertEquals(3, evals.size(), "at steps 0, 4 and 8: " + evals);
        for (Map<String, Object> eval : evals) {
            double accuracy = ((Number) eval.get("eval_accuracy")).doubleValue();
            assertTrue(accuracy >= 0 && accuracy <= 1, eval.toString());
            assertTrue(eval.containsKey("eval_margin") && eval.containsKey("eval_loss"), eval.toString());
        }
        assertTrue(series.stream().anyMatch(v -> v.containsKey("accuracy")), "train accuracy per logged step");

        Path best = output.resolve("rm/rest/checkpoints/best");
        try (RewardModel rm = HfCheckpoint.loadRewardModel(best, null)) {
            assertEquals(64, rm.config().hiddenSize());
        }
        RewardStats stats = RewardStats.read(best).orElseThrow();
        assertEquals(1800 - 16, stats.count(), "the best reply of every pair of the training split");
        assertTrue(stats.std() > 0, stats.toString());
        assertTrue(RewardStats.read(output.resolve("rm/rest/checkpoints/last")).isPresent());
        // A reward model generates nothing: the dashboard's samples list stays empty.
        given().get("/jobs/" + id + "/samples").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void badConfigsAreRejectedWith400NamingTheKey() {
        given().contentType("application/yaml")
                .body("margin_colum: score\n".getBytes(StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", containsString("margin_colum"))
                .body("error", containsString("margin_column"));
        given().contentType("application/yaml")
                .body("model: {path: m}\nseq_len: 1\n".getBytes(StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", containsString("seq_len"));
    }

    @Test
    void healthAndTheDashboardAreServed() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("job-queue"));
        given().get("/").then().statusCode(200).body(containsString("<title>RLHF trainer jobs</title>"));
        given().get("/js/dashboard.js").then().statusCode(200);
    }
}
