package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.proto.inference.ServerLiveRequest;
import dev.rlhf.proto.v1.RewardServiceGrpc;
import dev.rlhf.proto.v1.ScoreRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code gateway.token} set, every call but the health probes needs {@code authorization: Bearer <token>}. The
 * profile serves no repository: a profile restarts Quarkus in a new class loader, and PyTorch's natives (which the
 * test repository's models need) load in one class loader per JVM. A call with the right token passes the check and
 * reaches the service, which answers NOT_FOUND for a model it does not serve.
 */
@QuarkusTest
@TestProfile(GatewayTokenTest.WithToken.class)
class GatewayTokenTest {

    private static final String TOKEN = "gateway-t0ken";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.token", TOKEN);
        }
    }

    private static RewardServiceGrpc.RewardServiceBlockingStub reward(GatewayTestClient gateway, String authorization) {
        Metadata metadata = new Metadata();
        if (authorization != null) {
            metadata.put(BearerTokenInterceptor.AUTHORIZATION, authorization);
        }
        return gateway.reward().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    @Test
    void callsWithoutTheRightTokenAreUnauthenticatedAndHealthStaysOpen() throws Exception {
        ScoreRequest pair =
                ScoreRequest.newBuilder().setPrompt("a").setResponse("b").build();
        try (GatewayTestClient gateway = new GatewayTestClient()) {
            for (String wrong : new String[] {null, "Bearer nope", "Basic " + TOKEN, TOKEN}) {
                StatusRuntimeException e = assertThrows(
                        StatusRuntimeException.class,
                        () -> reward(gateway, wrong).score(pair));
                assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), String.valueOf(wrong));
            }
            StatusRuntimeException passed = assertThrows(
                    StatusRuntimeException.class,
                    () -> reward(gateway, "Bearer " + TOKEN).score(pair));
            assertEquals(
                    Status.Code.NOT_FOUND,
                    passed.getStatus().getCode(),
                    passed.getStatus().toString());
            assertTrue(gateway.inference()
                    .serverLive(ServerLiveRequest.getDefaultInstance())
                    .getLive());
        }
    }
}
