package dev.rlhf.service.jobs.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job API as the services' tests drive it: submit a config, wait for a state, a step or the end. Shipped in
 * trainer-common's test jar for every trainer's {@code @QuarkusTest}s.
 */
public final class JobApi {

    private static final Set<String> ENDS = Set.of("succeeded", "failed", "cancelled");

    private JobApi() {}

    /** Posts a YAML config to {@code /jobs}; returns the job id (the post must be accepted). */
    public static String submit(String yaml) {
        return given().contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** Posts a YAML config to {@code /jobs} that must be refused with 400; returns the body's {@code error}. */
    public static String refused(String yaml) {
        return given().contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(400)
                .extract()
                .path("error");
    }

    /** Polls {@code GET /jobs/{id}} until its state is one of {@code states}; fails after 3 minutes. */
    public static JsonPath awaitState(String id, String... states) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            JsonPath job = view(id);
            if (List.of(states).contains(job.getString("state"))) {
                return job;
            }
            assertTrue(System.nanoTime() < deadline, "job " + id + " still " + job.getString("state"));
            Thread.sleep(100);
        }
    }

    /** The job's view once it has ended; fails after {@code timeout}. */
    public static JsonPath awaitEnd(String id, Duration timeout) throws InterruptedException {
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

    /** Waits until the job has logged {@code step}, failing if it ends first or after {@code timeout}. */
    public static void awaitStep(String id, long step, Duration timeout) throws InterruptedException {
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

    /** The job's metrics so far ({@code GET /jobs/{id}/metrics}): each logged point's values, in order. */
    public static List<Map<String, Object>> metrics(String id) {
        return given().get("/jobs/" + id + "/metrics")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("values");
    }

    private static JsonPath view(String id) {
        return given().get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }
}
