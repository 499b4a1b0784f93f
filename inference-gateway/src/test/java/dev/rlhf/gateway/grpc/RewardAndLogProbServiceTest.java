package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.OrtReference;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.mapping.ApiMapping;
import dev.rlhf.proto.v1.LogProbsRequest;
import dev.rlhf.proto.v1.LogProbsResponse;
import dev.rlhf.proto.v1.ScoreBatchRequest;
import dev.rlhf.proto.v1.ScoreRequest;
import dev.rlhf.proto.v1.ScoreResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** rlhf.v1 RewardService and LogProbService: text in, the exported models' values (run directly in ORT) out. */
@QuarkusTest
@WithTestResource(TestRepository.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewardAndLogProbServiceTest {

    private GatewayTestClient gateway;
    private Tokenizer tokenizer;
    private OrtReference rm;
    private OrtReference ref;

    @BeforeAll
    void connect() throws Exception {
        gateway = new GatewayTestClient();
        tokenizer = Tokenizer.load(GatewayTestClient.repo().resolve("rm"));
        rm = new OrtReference("rm");
        ref = new OrtReference("ref");
    }

    @AfterAll
    void close() throws Exception {
        gateway.close();
        tokenizer.close();
        rm.close();
        ref.close();
    }

    private float expectedReward(long[] ids) throws Exception {
        return ((float[]) rm.runOne(ids))[0];
    }

    private static ScoreRequest pair(String prompt, String response) {
        return ScoreRequest.newBuilder().setPrompt(prompt).setResponse(response).build();
    }

    @Test
    void scoreIsTheRewardModelOnThePromptResponseTokens() throws Exception {
        long[] ids = ChatLayout.of(tokenizer).reply("Which model scores text?", "The reward model does.");
        ScoreResponse score = gateway.reward().score(pair("Which model scores text?", "The reward model does."));
        assertEquals(expectedReward(ids), score.getReward(), 1e-4);
        assertEquals(ids.length, score.getTokens());
        assertFalse(score.getTruncated());
        assertEquals("rm/1", score.getModel());
        assertFalse(score.hasNormalized());
    }

    @Test
    void idsGiveTheSameScoreAsTheirText() {
        ScoreRequest text = pair("a prompt to a policy", "log probability");
        ScoreRequest ids = ScoreRequest.newBuilder()
                .addAllPromptIds(boxed(tokenizer.encode(text.getPrompt())))
                .addAllResponseIds(boxed(tokenizer.encode(text.getResponse())))
                .build();
        assertEquals(gateway.reward().score(text), gateway.reward().score(ids));
    }

    @Test
    void scoreBatchAnswersInRequestOrderAsSingleScoresDo() {
        List<ScoreRequest> pairs = List.of(
                pair("one", "the reward"),
                pair("two", "a much longer response that the model scores"),
                pair("three", ""),
                pair("four", "each token"));
        List<ScoreResponse> batch = gateway.reward()
                .scoreBatch(ScoreBatchRequest.newBuilder().addAllRequests(pairs).build())
                .getResponsesList();
        assertEquals(pairs.size(), batch.size());
        for (int i = 0; i < pairs.size(); i++) {
            ScoreResponse alone = gateway.reward().score(pairs.get(i));
            assertEquals(alone.getReward(), batch.get(i).getReward(), 1e-5, "pair " + i);
            assertEquals(alone.getTokens(), batch.get(i).getTokens());
        }
    }

    @Test
    void aPairLongerThanTheContextKeepsItsEndAndSaysSo() throws Exception {
        String response = "the policy writes text. ".repeat(40);
        long[] ids = ChatLayout.of(tokenizer).reply("write", response);
        assertTrue(ids.length > TestRepository.MAX_SEQUENCE);
        ScoreResponse score = gateway.reward().score(pair("write", response));
        assertTrue(score.getTruncated());
        assertEquals(TestRepository.MAX_SEQUENCE, score.getTokens());
        assertEquals(
                expectedReward(Arrays.copyOfRange(ids, ids.length - TestRepository.MAX_SEQUENCE, ids.length)),
                score.getReward(),
                1e-4);
    }

    @Test
    void aQwen3TemplatedRewardModelScoresTheTextInItsOwnTemplate() throws Exception {
        try (Tokenizer qwen3 = Tokenizer.load(TestRepository.QWEN3_TOKENIZER);
                OrtReference rmQwen3 = new OrtReference("rm-qwen3")) {
            long[] ids = qwen3.encode("<|im_start|>user\nWhich model scores text?<|im_end|>\n"
                    + "<|im_start|>assistant\n<think>\n\n</think>\n\nThe reward model does.<|im_end|>\n");
            ScoreResponse score = gateway.reward()
                    .score(pair("Which model scores text?", "The reward model does.").toBuilder()
                            .setModel("rm-qwen3")
                            .build());
            assertEquals(((float[]) rmQwen3.runOne(ids))[0], score.getReward(), 1e-4);
            assertEquals(ids.length, score.getTokens());
            assertEquals("rm-qwen3/1", score.getModel());
        }
    }

    @Test
    void tokenIdsForAModelOfAnotherTemplateAreRefusedAskingForText() {
        ScoreRequest ids = ScoreRequest.newBuilder()
                .setModel("rm-qwen3")
                .addAllPromptIds(List.of(3L, 4L))
                .addAllResponseIds(List.of(5L, 6L))
                .build();
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class, () -> gateway.reward().score(ids));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("send prompt and response as text"), e.getMessage());
        assertTrue(e.getStatus().getDescription().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void unknownRewardModelIsNotFound() {
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> gateway.reward()
                        .score(pair("a", "b").toBuilder().setModel("rm9").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("unknown model 'rm9'"));
    }

    @Test
    void logProbsOfTextAndOfIdsAreTheReferenceModels() throws Exception {
        String text = "the reference model gives each token a log probability";
        long[] ids = tokenizer.encode(text);
        float[] expected = ((float[][]) ref.runOne(ids))[0];
        LogProbsResponse fromText = gateway.logProbs()
                .logProbs(LogProbsRequest.newBuilder().setText(text).build());
        assertArrayEquals(ids, ApiMapping.longs(fromText.getIdsList()));
        assertArrayEquals(expected, unboxed(fromText.getLogprobsList()), 1e-4f);
        assertEquals("ref/1", fromText.getModel());
        LogProbsResponse fromIds = gateway.logProbs()
                .logProbs(LogProbsRequest.newBuilder().addAllIds(boxed(ids)).build());
        assertEquals(fromText, fromIds);
    }

    @Test
    void logProbsRefuseEmptyAndTooLongSequences() {
        StatusRuntimeException empty = assertThrows(
                StatusRuntimeException.class, () -> gateway.logProbs().logProbs(LogProbsRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
        assertTrue(empty.getStatus().getDescription().startsWith("ids: "));
        StatusRuntimeException tooLong = assertThrows(
                StatusRuntimeException.class,
                () -> gateway.logProbs()
                        .logProbs(LogProbsRequest.newBuilder()
                                .addAllIds(boxed(new long[TestRepository.MAX_SEQUENCE + 1]))
                                .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, tooLong.getStatus().getCode());
        assertTrue(tooLong.getStatus().getDescription().contains("exceeds max_sequence_length 128"));
    }

    private static List<Long> boxed(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static float[] unboxed(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
