package dev.rlhf.rl.ppo;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/** Submitting PPO jobs through {@code POST /jobs} and waiting on them, for the module's REST tests. */
final class JobPolling {

    private static final Set<String> ENDS = Set.of("succeeded", "failed", "cancelled");

    private JobPolling() {}

    /** Submits a YAML config; returns the job id. */
    static String submit(String yaml) {
        return given().contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** The job's view once it has ended; fails the test after {@code timeout}. */
    static JsonPath awaitEnd(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath job = view(id);
            if (ENDS.contains(job.getString("state"))) {
                return job;
            }
            assertTrue(System.nanoTime() < deadline, "job " + id + " still " + job.getString("state"));
            Thread.sleep(300);
        }
    }

    /** Waits until the job has logged {@code step} (it must still be queued or running meanwhile). */
    static void awaitStep(String id, long step, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath job = view(id);
            Long reached = job.getObject("step", Long.class);
            if (reached != null && reached >= step) {
                return;
            }
            assertTrue(!ENDS.contains(job.getString("state")), job.prettify());
            assertTrue(System.nanoTime() < deadline, "job " + id + " did not reach step " + step);
            Thread.sleep(200);
        }
    }

    private static JsonPath view(String id) {
        return given().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }
}
