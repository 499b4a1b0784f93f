package dev.rlhf.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.TestRequests;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** /q/metrics counts each served model's requests, failures, rows, executions and time, Triton's metric names. */
@QuarkusTest
@WithTestResource(TestRepository.class)
class ModelMetricsTest {

    private static final long[][] IDS = {{5, 9, 250, 3}, {7, 8, 9, 10}};

    @Test
    void requestsRowsExecutionsAndFailuresAreCountedPerModel() throws Exception {
        String before = scrape();
        try (GatewayTestClient gateway = new GatewayTestClient()) {
            for (int i = 0; i < 3; i++) {
                gateway.inference().modelInfer(TestRequests.typed("rm", IDS, TestRequests.ones(IDS)));
            }
            long[][] outOfRange = {{5, 9, 250, 3}};
            try {
                gateway.inference().modelInfer(TestRequests.typed("rm", outOfRange, new long[][] {{1, 1}}));
            } catch (StatusRuntimeException expected) {
                // a mask whose shape differs from the ids: refused before or inside the model
            }
        }
        String after = scrape();

        assertEquals(3, delta(before, after, "nv_inference_request_success_total", "rm"));
        assertEquals(6, delta(before, after, "nv_inference_count_total", "rm"), "two rows per request");
        double executions = delta(before, after, "nv_inference_exec_count_total", "rm");
        assertTrue(executions >= 1 && executions <= 3, "merged batches: " + executions);
        assertTrue(delta(before, after, "nv_inference_request_duration_us_total", "rm") > 0);
        assertTrue(delta(before, after, "nv_inference_compute_infer_duration_us_total", "rm") > 0
                && delta(before, after, "nv_inference_queue_duration_us_total", "rm") >= 0);
        assertTrue(after.contains("nv_inference_request_failure_total{model=\"ref\",version=\"1\"}"), after);
        assertTrue(after.contains("grpc_server_requests_received_messages_total"), "the gRPC server's own meters");
    }

    private static double delta(String before, String after, String metric, String model) {
        return value(after, metric, model) - value(before, metric, model);
    }

    private static double value(String scrape, String metric, String model) {
        Matcher m = Pattern.compile(
                        "(?m)^" + Pattern.quote(metric) + "\\{model=\"" + model + "\",version=\"1\"} ([0-9.eE+-]+)$")
                .matcher(scrape);
        assertTrue(m.find(), metric + " of " + model + " in:\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    private static String scrape() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }
}
