package dev.rlhf.gateway.grpc;

import static io.restassured.RestAssured.given;
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
import java.util.List;
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

    @Test
    void theOpenAiRoutesNeedTheTokenToo() {
        for (String wrong : new String[] {null, "Bearer nope", "Basic " + TOKEN}) {
            var request = given().contentType("application/json").body("{}");
            if (wrong != null) {
                request.header("Authorization", wrong);
            }
            for (var response : List.of(request.post("/v1/chat/completions"), request.get("/v1/models"))) {
                assertEquals(401, response.statusCode(), String.valueOf(wrong));
                assertEquals("invalid_api_key", response.jsonPath().getString("error.code"));
                assertEquals("invalid_request_error", response.jsonPath().getString("error.type"));
            }
        }
        var models = given().header("Authorization", "Bearer " + TOKEN).get("/v1/models");
        assertEquals(200, models.statusCode(), models.asString());
        assertEquals("list", models.jsonPath().getString("object"));
        var chat = given().header("Authorization", "Bearer " + TOKEN)
                .contentType("application/json")
                .body("{\"model\": \"policy\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(400, chat.statusCode(), "no policy served here: " + chat.asString());
        assertEquals("model_not_servable", chat.jsonPath().getString("error.code"));
    }
}
