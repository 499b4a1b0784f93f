package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.generation.GeneratedToken;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.SpecialTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.proto.v1.FinishReason;
import dev.rlhf.proto.v1.GenerateRequest;
import dev.rlhf.proto.v1.GenerateResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** rlhf.v1 PolicyService.Generate: the streamed tokens are those core's Generator produces on the same policy. */
@QuarkusTest
@WithTestResource(TestRepository.class)
class PolicyGrpcServiceTest {

    private static List<GenerateResponse> generate(GatewayTestClient gateway, GenerateRequest request) {
        List<GenerateResponse> out = new ArrayList<>();
        gateway.policyService().generate(request).forEachRemaining(out::add);
        return out;
    }

    @Test
    void streamsTheGeneratorsTokensWithTextLogProbsAndTheFinishOnTheLast() throws Exception {
        String prompt = "write a response";
        List<GeneratedToken> expected = new ArrayList<>();
        try (Tokenizer tokenizer = Tokenizer.load(GatewayTestClient.policy());
                LanguageModel lm = HfCheckpoint.load(GatewayTestClient.policy());
                GatewayTestClient gateway = new GatewayTestClient()) {
            long[] ids = ChatTemplate.own()
                    .encode(tokenizer, List.of(ChatMessage.user(prompt)), true)
                    .ids();
            Set<Long> stops = Set.of((long) tokenizer.eosId(), (long)
                    tokenizer.tokenId(SpecialTokens.END_OF_TURN).getAsInt());
            new Generator(lm, null)
                    .generate(List.of(ids), SamplingConfig.greedy(12).withStopTokens(stops), expected::add);

            List<GenerateResponse> streamed = generate(
                    gateway,
                    GenerateRequest.newBuilder()
                            .setPrompt(prompt)
                            .setMaxNewTokens(12)
                            .build());
            assertEquals(expected.size(), streamed.size());
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < streamed.size(); i++) {
                GenerateResponse token = streamed.get(i);
                assertEquals(expected.get(i).id(), token.getTokenId(), "token " + i);
                assertEquals(i, token.getIndex());
                assertEquals(expected.get(i).logprob(), token.getLogprob(), 1e-4);
                boolean last = i == streamed.size() - 1;
                assertEquals(last, token.getFinishReason() != FinishReason.FINISH_REASON_UNSPECIFIED, "token " + i);
                text.append(token.getText());
            }
            long[] tokens = expected.stream().mapToLong(GeneratedToken::id).toArray();
            assertEquals(tokenizer.decode(tokens, true), text.toString());
        }
    }

    @Test
    void promptIdsSkipTheTemplateAndSeedsMakeSamplingReproducible() throws Exception {
        try (GatewayTestClient gateway = new GatewayTestClient()) {
            GenerateRequest request = GenerateRequest.newBuilder()
                    .addAllPromptIds(List.of(5L, 6L, 7L))
                    .setMaxNewTokens(6)
                    .setTemperature(1.5f)
                    .setSeed(42)
                    .build();
            List<GenerateResponse> first = generate(gateway, request);
            assertEquals(first, generate(gateway, request));
            assertEquals(FinishReason.FINISH_REASON_LENGTH, first.get(5).getFinishReason());
            assertNotEquals(
                    first, generate(gateway, request.toBuilder().setSeed(43).build()));
        }
    }

    @Test
    void badRequestsAreRefused() throws Exception {
        try (GatewayTestClient gateway = new GatewayTestClient()) {
            StatusRuntimeException zero = assertThrows(
                    StatusRuntimeException.class,
                    () -> generate(
                            gateway, GenerateRequest.newBuilder().setPrompt("x").build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, zero.getStatus().getCode());
            assertEquals(
                    "max_new_tokens must be at least 1, got 0", zero.getStatus().getDescription());
            StatusRuntimeException tooLong = assertThrows(
                    StatusRuntimeException.class,
                    () -> generate(
                            gateway,
                            GenerateRequest.newBuilder()
                                    .setPrompt("x")
                                    .setMaxNewTokens(TestRepository.MAX_SEQUENCE)
                                    .build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, tooLong.getStatus().getCode());
            StatusRuntimeException unknown = assertThrows(
                    StatusRuntimeException.class,
                    () -> generate(
                            gateway,
                            GenerateRequest.newBuilder()
                                    .setPrompt("x")
                                    .setMaxNewTokens(2)
                                    .setModel("other")
                                    .build()));
            assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        }
    }
}
