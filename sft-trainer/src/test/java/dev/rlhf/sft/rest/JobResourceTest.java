package dev.rlhf.sft.rest;

import static dev.rlhf.service.jobs.testing.JobApi.awaitState;
import static dev.rlhf.service.jobs.testing.JobApi.metrics;
import static dev.rlhf.sft.rest.TinyJobs.config;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job API end to end: a real SFT job on HH data through REST, its metrics, checkpoints, errors and cancel. */
@QuarkusTest
class JobResourceTest {

    @Test
    void aJobPostedAsYamlTrainsAndLeavesALoadableBestCheckpoint() throws Exception {
        Path output = Files.createTempDirectory("sft-rest");
        String id = given().contentType("application/yaml")
                .body(bytes(config(output, "rest", 24) + "\nsamples:\n  prompts: [\"How do I bake bread?\"]\n"
                        + "  max_new_tokens: 8\n"))
                .post("/jobs")
                .then()
                .statusCode(202)
                .body("run_dir", equalTo(output.resolve("sft/rest").toString()))
                .extract()
                .path("id");
        JsonPath done = awaitState(id, "succeeded", "failed");
        assertEquals("succeeded", done.getString("state"), done.prettify());
        assertEquals(24, done.getInt("step"));
        // The job's last point is an evaluation; the loss gauge keeps the last training loss, not NaN.
        String prometheus =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(
                java.util.regex.Pattern.compile("(?m)^rlhf_job_loss(\\{[^}]*\\})? [0-9]")
                        .matcher(prometheus)
                        .find(),
                prometheus
                        .lines()
                        .filter(l -> l.startsWith("rlhf_job_loss"))
                        .toList()
                        .toString());

        List<Map<String, Object>> series = metrics(id);
        List<Double> evals = series.stream()
                .filter(v -> v.containsKey("eval_loss"))
                .map(v -> ((Number) v.get("eval_loss")).doubleValue())
                .toList();
        assertTrue(evals.get(evals.size() - 1) < evals.get(0), "eval loss falls: " + evals);
        try (LanguageModel best = HfCheckpoint.load(output.resolve("sft/rest/checkpoints/best"))) {
            assertEquals("llama", best.config().modelType());
        }
        given().get("/jobs").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));

        // Samples are generated at the first and the last evaluation; the newest comes first.
        given().get("/jobs/" + id + "/samples")
                .then()
                .statusCode(200)
                .body("step", equalTo(List.of(24)))
                .body("[0].samples.prompt", equalTo(List.of("How do I bake bread?")))
                .body("[0].samples[0].completion", notNullValue());
        given().queryParam("limit", 5)
                .get("/jobs/" + id + "/samples")
                .then()
                .statusCode(200)
                .body("step", equalTo(List.of(24, 0)));
        given().queryParam("limit", 0)
                .get("/jobs/" + id + "/samples")
                .then()
                .statusCode(400)
                .body("error", containsString("limit"));
    }

    @Test
    void aSecondJobWaitsInTheQueueAndCancelStopsWithinAStep() throws Exception {
        Path output = Files.createTempDirectory("sft-cancel");
        String first = given().contentType("application/json")
                .body(toJson(config(output, "long", 100_000)))
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String second = given().contentType("text/yaml")
                .body(bytes(config(output, "queued", 4)))
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String third = given().contentType("text/yaml")
                .body(bytes(config(output, "dropped", 4)))
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        awaitState(first, "running");
        given().get("/jobs/" + second).then().body("state", equalTo("queued")).body("queue_position", equalTo(1));
        given().delete("/jobs/" + third)
                .then()
                .statusCode(202)
                .body("state", equalTo("cancelled"))
                .body("queue_position", org.hamcrest.Matchers.nullValue());

        given().delete("/jobs/" + first).then().statusCode(202);
        awaitState(first, "cancelled");
        assertTrue(Files.isRegularFile(output.resolve("sft/long/checkpoints/last/model.safetensors")));
        try (LanguageModel last = HfCheckpoint.load(output.resolve("sft/long/checkpoints/last"))) {
            assertEquals(2, last.config().numHiddenLayers());
        }
        awaitState(second, "succeeded");
        given().get("/jobs/" + third).then().body("state", equalTo("cancelled"));
        assertTrue(Files.notExists(output.resolve("sft/dropped/checkpoints/last")), "a cancelled queued job never ran");

        // One run directory, one run: a changed config, or the same finished job again, is a 409 naming the run.
        given().contentType("text/yaml")
                .body(bytes(config(output, "long", 100_000).replace("3.0e-3", "1.0e-3")))
                .post("/jobs")
                .then()
                .statusCode(409)
                .body("error", containsString("train.lr: 0.003 -> 0.001"));
        given().contentType("text/yaml")
                .body(bytes(config(output, "queued", 4)))
                .post("/jobs")
                .then()
                .statusCode(409)
                .body("error", containsString("already finished at step 4"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The same config as JSON: YAML is a superset, and the API takes either. */
    private static String toJson(String yaml) {
        Map<String, Object> tree = new org.yaml.snakeyaml.Yaml().load(yaml);
        return new io.vertx.core.json.JsonObject(tree).encode();
    }

    @Test
    void badConfigsAreRejectedWith400NamingTheKey() {
        given().contentType("application/yaml")
                .body(bytes("train:\n  lrr: 0.1\n"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", containsString("train.lrr"));
        given().contentType("application/yaml")
                .body(bytes("train:\n  lr: fast\n"))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body("error", containsString("train.lr"));
        given().get("/jobs/nope").then().statusCode(404).body("error", notNullValue());
        given().get("/jobs/nope/samples").then().statusCode(404).body("error", notNullValue());
    }

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("job-queue"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("rlhf_job_queued"));
        given().get("/").then().statusCode(200).body(containsString("<title>RLHF trainer jobs</title>"));
        // The dashboard's assets come from trainer-common's jar (META-INF/resources), never from a CDN.
        for (String asset : List.of("js/dashboard.js", "js/line-chart.js", "js/metric-groups.js")) {
            given().get("/" + asset).then().statusCode(200).contentType(containsString("javascript"));
        }
        given().get("/css/dashboard.css").then().statusCode(200).contentType(containsString("text/css"));
    }
}
