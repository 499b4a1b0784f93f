package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.TestRequests;
import dev.rlhf.proto.v1.GenerateRequest;
import dev.rlhf.proto.v1.LogProbsRequest;
import dev.rlhf.proto.v1.ScoreRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Requests a careless or hostile client sends: each is INVALID_ARGUMENT naming the field, and the gateway keeps
 * serving (a valid score after all of them).
 */
@QuarkusTest
@WithTestResource(TestRepository.class)
class HostileRequestTest {

    /** One hostile request: what it sends, and a fragment of the message it must get back. */
    record Case(String name, Consumer<GatewayTestClient> call, String message) {}

    private static GenerateRequest.Builder generate() {
        return GenerateRequest.newBuilder().setPrompt("hello").setMaxNewTokens(2);
    }

    private static void stream(GatewayTestClient gateway, GenerateRequest.Builder request) {
        gateway.policyService().generate(request.build()).forEachRemaining(token -> {});
    }

    static final List<Case> CASES = List.of(
            new Case(
                    "generate: id -1",
                    g -> stream(g, generate().setPrompt("").addPromptIds(5).addPromptIds(-1)),
                    "prompt_ids[1]: -1 is not a token id"),
            new Case(
                    "generate: id beyond the vocabulary",
                    g -> stream(g, generate().addPromptIds(1_000_000)),
                    "prompt_ids[0]: 1000000 is not a token id"),
            new Case("generate: temperature NaN", g -> stream(g, generate().setTemperature(Float.NaN)), "temperature"),
            new Case("generate: negative temperature", g -> stream(g, generate().setTemperature(-1)), "temperature"),
            new Case("generate: top_p above 1", g -> stream(g, generate().setTopP(2)), "top_p"),
            new Case("generate: negative top_k", g -> stream(g, generate().setTopK(-3)), "top_k"),
            new Case(
                    "score: response id -1",
                    g -> g.reward()
                            .score(ScoreRequest.newBuilder()
                                    .addPromptIds(5)
                                    .addResponseIds(-1)
                                    .build()),
                    "response_ids[0]: -1"),
            new Case(
                    "score: prompt id beyond the vocabulary",
                    g -> g.reward()
                            .score(ScoreRequest.newBuilder()
                                    .addPromptIds(1 << 30)
                                    .addResponseIds(5)
                                    .build()),
                    "prompt_ids[0]"),
            new Case(
                    "score: with a reference model",
                    g -> g.reward()
                            .score(ScoreRequest.newBuilder()
                                    .setModel("ref")
                                    .setPrompt("a")
                                    .setResponse("b")
                                    .build()),
                    "model: 'ref' serves 'logprobs'"),
            new Case(
                    "logprobs: with the reward model",
                    g -> g.logProbs()
                            .logProbs(LogProbsRequest.newBuilder()
                                    .setModel("rm")
                                    .setText("a b")
                                    .build()),
                    "model: 'rm' serves 'rewards'"),
            new Case(
                    "logprobs: id -1",
                    g -> g.logProbs()
                            .logProbs(LogProbsRequest.newBuilder()
                                    .addIds(3)
                                    .addIds(-1)
                                    .build()),
                    "ids[1]: -1"),
            new Case(
                    "infer: input_ids -1",
                    g -> g.inference().modelInfer(TestRequests.typed("rm", new long[][] {{3, -1}}, new long[][] {{1, 1}
                    })),
                    "input 'input_ids'[1]: -1"),
            new Case(
                    "infer: mask value 2",
                    g -> g.inference().modelInfer(TestRequests.typed("rm", new long[][] {{3, 4}}, new long[][] {{1, 2}
                    })),
                    "input 'attention_mask'[0][1]: 2"),
            new Case(
                    "infer: all-zero mask",
                    g -> g.inference().modelInfer(TestRequests.typed("rm", new long[][] {{3, 4}}, new long[][] {{0, 0}
                    })),
                    "input 'attention_mask'[0]: all zeros"));

    @Test
    void aRequestOverTheInboundLimitIsRefusedBeforeItIsParsed() throws Exception {
        int limit = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.grpc.server.max-inbound-message-size", Integer.class);
        long[][] ids = new long[1][limit / Long.BYTES + 1];
        try (GatewayTestClient gateway = new GatewayTestClient()) {
            StatusRuntimeException e = assertThrows(
                    StatusRuntimeException.class,
                    () -> gateway.inference().modelInfer(TestRequests.raw("rm", ids, "rewards")));
            assertEquals(
                    Status.Code.RESOURCE_EXHAUSTED,
                    e.getStatus().getCode(),
                    e.getStatus().toString());
            assertTrue(Float.isFinite(gateway.reward()
                    .score(ScoreRequest.newBuilder()
                            .setPrompt("a")
                            .setResponse("b")
                            .build())
                    .getReward()));
        }
    }

    /**
     * The limit is sized from the served models: 2 x (max_batch_size 8 x max_sequence_length 128 x 16 bytes, the INT64
     * ids and mask of rm and ref) + 1 MiB. A 2 MiB request, which the former fixed 16 MiB let in to be parsed, is
     * refused unread.
     */
    @Test
    void theInboundLimitIsSizedFromTheServedModels() throws Exception {
        long largestValid = (long) TestRepository.MAX_BATCH * TestRepository.MAX_SEQUENCE * (Long.BYTES + Long.BYTES);
        assertEquals(
                2 * largestValid + (1 << 20),
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("quarkus.grpc.server.max-inbound-message-size", Long.class));
        long[][] ids = new long[1][(2 << 20) / Long.BYTES];
        try (GatewayTestClient gateway = new GatewayTestClient()) {
            StatusRuntimeException e = assertThrows(
                    StatusRuntimeException.class,
                    () -> gateway.inference().modelInfer(TestRequests.raw("rm", ids, "rewards")));
            assertEquals(
                    Status.Code.RESOURCE_EXHAUSTED,
                    e.getStatus().getCode(),
                    e.getStatus().toString());
        }
    }

    @Test
    void everyHostileRequestIsInvalidArgumentNamingTheFieldAndTheGatewayKeepsServing() throws Exception {
        try (GatewayTestClient gateway = new GatewayTestClient()) {
            for (Case c : CASES) {
                StatusRuntimeException e = assertThrows(
                        StatusRuntimeException.class, () -> c.call().accept(gateway), c.name());
                assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), c.name() + ": " + e.getStatus());
                assertTrue(
                        String.valueOf(e.getStatus().getDescription()).contains(c.message()),
                        c.name() + ": " + e.getStatus().getDescription());
            }
            float reward = gateway.reward()
                    .score(ScoreRequest.newBuilder()
                            .setPrompt("still")
                            .setResponse("serving")
                            .build())
                    .getReward();
            assertTrue(Float.isFinite(reward));
        }
    }
}
