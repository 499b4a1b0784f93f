package dev.rlhf.rl.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.rl.testing.TinyPpoFiles;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A PPO job's consumer lag per partition reaches Prometheus: one gauge per topic and partition the learner logged. */
@QuarkusTest
class KafkaLagGaugesTest {

    @Test
    void everyLoggedPartitionLagIsAGaugeHoldingTheJobsLastValue() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-lag"));
        String id = JobApi.submit(files.config(2, 8, "exp: lag"));
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("succeeded", done.getString("state"), done.prettify());

        List<Map<String, Object>> series = JobApi.metrics(id);
        Map<String, Object> last = series.get(series.size() - 1);
        List<String> lagKeys =
                last.keySet().stream().filter(k -> k.startsWith("kafka/lag/")).toList();
        assertTrue(lagKeys.contains("kafka/lag/prompts/0"), last.toString());
        assertTrue(lagKeys.contains("kafka/lag/rollouts/0"), last.toString());

        String prometheus =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String key : lagKeys) {
            String[] parts = key.split("/"); // kafka, lag, topic, partition
            Matcher gauge = Pattern.compile("(?m)^rlhf_kafka_consumer_lag\\{partition=\"" + parts[3] + "\",topic=\""
                            + parts[2] + "\"} (\\S+)$")
                    .matcher(prometheus);
            assertTrue(gauge.find(), "no gauge for " + key + " in " + lagLines(prometheus));
            assertEquals(
                    ((Number) last.get(key)).doubleValue(),
                    Double.parseDouble(gauge.group(1)),
                    key + ": " + lagLines(prometheus));
        }
    }

    private static List<String> lagLines(String prometheus) {
        return prometheus.lines().filter(l -> l.contains("kafka_consumer_lag")).toList();
    }
}
