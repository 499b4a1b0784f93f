package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What a learner or worker pod's probes see while {@code ppo --health-port} runs a job. */
class HealthEndpointTest {

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theProbedPathsAreUpAndOthersAreNotFound() throws Exception {
        try (HealthEndpoint health = HealthEndpoint.start(0)) {
            for (String path : new String[] {"/q/health/live", "/q/health/ready", "/q/health/started"}) {
                HttpResponse<String> response = get(health.port(), path);
                assertEquals(200, response.statusCode(), path);
                assertTrue(response.body().contains("\"UP\""), response.body());
            }
            assertEquals(404, get(health.port(), "/q/health/other").statusCode());
        }
    }
}
