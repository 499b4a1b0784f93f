package dev.rlhf.proto.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code host:port} constructor over a real HTTP/2 connection (grpc-netty-shaded on the test class path). */
class InferenceClientNettyTest {
    private static final ClientOptions FAST = ClientOptions.defaults()
            .withDeadline(Duration.ofSeconds(5))
            .withBaseDelay(Duration.ofMillis(5))
            .withMaxDelay(Duration.ofMillis(20));

    @Test
    void talksToAServerOnHostAndPort() throws Exception {
        Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new FakeInferenceService())
                .build()
                .start();
        try (InferenceClient client = new InferenceClient("localhost:" + server.getPort(), FAST)) {
            assertTrue(client.serverLive());
            float[][] sums = client.inferInt64("sum", Map.of("input_ids", new long[][] {{1, 2}, {3, 4}}), "sums");
            assertArrayEquals(new float[][] {{3f}, {7f}}, sums);
        } finally {
            server.shutdownNow().awaitTermination();
        }
    }

    @Test
    void aClosedPortIsUnavailableNamingTheEndpoint() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String endpoint = "localhost:" + port;
        try (InferenceClient client = new InferenceClient(endpoint, FAST.withMaxAttempts(2))) {
            InferenceException e = assertThrows(InferenceException.class, () -> client.modelReady("rm"));
            assertEquals(Status.Code.UNAVAILABLE, e.code());
            assertTrue(
                    e.getMessage().startsWith("ModelReady of model 'rm' at " + endpoint + " failed after 2 attempts: "),
                    e.getMessage());
        }
    }
}
