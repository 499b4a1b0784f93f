package dev.rlhf.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.TestRequests;
import dev.rlhf.proto.inference.ModelConfigRequest;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelMetadataRequest;
import dev.rlhf.proto.inference.ModelReadyRequest;
import dev.rlhf.proto.inference.ModelStatisticsRequest;
import dev.rlhf.proto.v1.ScoreRequest;
import dev.rlhf.proto.v1.ScoreResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code rm-fwd} is forwarded through InferenceClient to this gateway's own port as {@code rm} (loopback): every answer
 * must be the one {@code rm} gives directly, under the name {@code rm-fwd}.
 */
@QuarkusTest
@WithTestResource(TestRepository.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedModelTest {

    private static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6}, {2, 7, 1, 8, 2, 8, 1, 8}};

    private GatewayTestClient gateway;

    @BeforeAll
    void connect() {
        gateway = new GatewayTestClient();
    }

    @AfterAll
    void close() throws Exception {
        gateway.close();
    }

    @Test
    void readinessMetadataAndConfigAreTheUpstreamModelsUnderTheLocalName() {
        assertTrue(gateway.inference()
                .modelReady(ModelReadyRequest.newBuilder().setName("rm-fwd").build())
                .getReady());
        assertEquals(
                gateway
                        .inference()
                        .modelMetadata(
                                ModelMetadataRequest.newBuilder().setName("rm").build())
                        .toBuilder()
                        .setName("rm-fwd")
                        .build(),
                gateway.inference()
                        .modelMetadata(ModelMetadataRequest.newBuilder()
                                .setName("rm-fwd")
                                .build()));
        assertEquals(
                gateway
                        .inference()
                        .modelConfig(
                                ModelConfigRequest.newBuilder().setName("rm").build())
                        .getConfig()
                        .toBuilder()
                        .setName("rm-fwd")
                        .build(),
                gateway.inference()
                        .modelConfig(ModelConfigRequest.newBuilder()
                                .setName("rm-fwd")
                                .build())
                        .getConfig());
    }

    @Test
    void inferenceAnswersAreIdenticalRawAndTyped() {
        for (ModelInferRequest request : new ModelInferRequest[] {
            TestRequests.raw("rm", IDS, "rewards"), TestRequests.typed("rm", IDS, TestRequests.ones(IDS))
        }) {
            ModelInferResponse direct = gateway.inference().modelInfer(request);
            ModelInferResponse forwarded = gateway.inference()
                    .modelInfer(request.toBuilder().setModelName("rm-fwd").build());
            assertEquals(direct.toBuilder().setModelName("rm-fwd").build(), forwarded);
        }
    }

    @Test
    void upstreamErrorsReachTheCallerUnchanged() {
        ModelInferRequest.Builder fp32 = TestRequests.raw("rm-fwd", IDS, "rewards").toBuilder();
        fp32.getInputsBuilder(0).setDatatype("FP32");
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class, () -> gateway.inference().modelInfer(fp32.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(
                "input 'input_ids': expected INT64 or INT32, got FP32",
                e.getStatus().getDescription());

        StatusRuntimeException version = assertThrows(
                StatusRuntimeException.class,
                () -> gateway.inference()
                        .modelInfer(TestRequests.raw("rm-fwd", IDS, "rewards").toBuilder()
                                .setModelVersion("9")
                                .build()));
        assertEquals(Status.Code.NOT_FOUND, version.getStatus().getCode());
    }

    @Test
    void rewardServiceScoresThroughTheForwardWithTheConfiguredTokenizer() {
        ScoreRequest request = ScoreRequest.newBuilder()
                .setPrompt("a prompt")
                .setResponse("a response")
                .build();
        ScoreResponse direct =
                gateway.reward().score(request.toBuilder().setModel("rm").build());
        ScoreResponse forwarded =
                gateway.reward().score(request.toBuilder().setModel("rm-fwd").build());
        assertEquals(direct.getReward(), forwarded.getReward());
        assertEquals(direct.getTokens(), forwarded.getTokens());
        assertEquals("rm-fwd/1", forwarded.getModel());
    }

    @Test
    void statisticsStayWithTheUpstreamServer() {
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> gateway.inference()
                        .modelStatistics(ModelStatisticsRequest.newBuilder()
                                .setName("rm-fwd")
                                .build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    }
}
