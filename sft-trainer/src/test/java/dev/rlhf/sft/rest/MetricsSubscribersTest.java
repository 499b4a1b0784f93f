package dev.rlhf.sft.rest;

import static dev.rlhf.service.jobs.testing.JobApi.awaitState;
import static dev.rlhf.service.jobs.testing.JobApi.awaitStep;
import static dev.rlhf.service.jobs.testing.JobApi.submit;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's load check on the job API: 50 clients follow a running job's metrics over SSE at once, and every one of
 * them receives every point the job logs (the backlog, then the live points), in order, each once.
 */
@QuarkusTest
class MetricsSubscribersTest {

    private static final int SUBSCRIBERS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fiftySubscribersToARunningJobEachReceiveItsWholeSeries() throws Exception {
        String id = submit(TinyJobs.config(Files.createTempDirectory("sft-sse"), "subscribers", 160));
        awaitStep(id, 2, Duration.ofMinutes(3));

        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest stream = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/jobs/" + id + "/metrics"))
                .header("Accept", "text/event-stream")
                .build();
        CountDownLatch connected = new CountDownLatch(SUBSCRIBERS);
        ExecutorService pool = Executors.newFixedThreadPool(SUBSCRIBERS);
        List<Future<List<String>>> subscribers = new ArrayList<>();
        try {
            for (int s = 0; s < SUBSCRIBERS; s++) {
                subscribers.add(pool.submit(() -> {
                    HttpResponse<Stream<String>> response = http.send(stream, HttpResponse.BodyHandlers.ofLines());
                    connected.countDown();
                    assertEquals(200, response.statusCode());
                    try (Stream<String> lines = response.body()) {
                        return lines.filter(l -> l.startsWith("data:"))
                                .map(l -> l.substring("data:".length()))
                                .toList();
                    }
                }));
            }
            assertTrue(connected.await(2, TimeUnit.MINUTES), "subscribers connected: " + connected.getCount());
            JsonPath during = given().get("/jobs/" + id).then().extract().jsonPath();
            assertEquals("running", during.getString("state"), "the job ended before every subscriber was in");
            long stepAtSubscription = during.getLong("step");

            JsonPath done = awaitState(id, "succeeded", "failed");
            assertEquals("succeeded", done.getString("state"), done.prettify());
            List<Map<String, Object>> series = parse(given().get("/jobs/" + id + "/metrics")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            assertTrue(
                    series.stream().anyMatch(p -> ((Number) p.get("step")).longValue() > stepAtSubscription),
                    "points were logged after the subscribers came in");

            int lost = 0;
            for (Future<List<String>> subscriber : subscribers) {
                List<Map<String, Object>> received = new ArrayList<>();
                for (String data : subscriber.get(1, TimeUnit.MINUTES)) {
                    received.add(JSON.readValue(data, new TypeReference<Map<String, Object>>() {}));
                }
                lost += Math.max(0, series.size() - received.size());
                assertEquals(series, received, "a subscriber's points differ from the job's series");
            }
            System.out.printf(
                    "%d SSE subscribers from step %d: %d metric lines each, %d lost%n",
                    SUBSCRIBERS, stepAtSubscription, series.size(), lost);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Map<String, Object>> parse(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() {});
    }
}
