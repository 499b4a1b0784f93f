package dev.rlhf.proto.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor.MethodType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The project's own API: service names on the wire, and Kafka records that survive serialization. */
class ApiContractTest {

    @Test
    void servicesLiveInTheVersionedPackage() {
        assertEquals(
                "rlhf.v1.RewardService/Score",
                RewardServiceGrpc.getScoreMethod().getFullMethodName());
        assertEquals(
                "rlhf.v1.RewardService/ScoreBatch",
                RewardServiceGrpc.getScoreBatchMethod().getFullMethodName());
        assertEquals(
                "rlhf.v1.LogProbService/LogProbs",
                LogProbServiceGrpc.getLogProbsMethod().getFullMethodName());
        assertEquals(
                MethodType.SERVER_STREAMING,
                PolicyServiceGrpc.getGenerateMethod().getType());
    }

    @Test
    void rolloutRoundTripKeepsOptionalPresence() throws InvalidProtocolBufferException {
        Rollout rollout = Rollout.newBuilder()
                .setJobId("job-1")
                .setIteration(4)
                .setIndex(17)
                .setPolicyVersion(3)
                .addAllPromptIds(List.of(1L, 2L))
                .addAllResponseIds(List.of(5L, 50_000L))
                .addAllResponseLogprobs(List.of(-0.1f, -2.5f))
                .addAllRefLogprobs(List.of(-0.2f, -2.0f))
                .setReward(0.75f)
                .setCreatedAtMs(1_700_000_000_000L)
                .setWorkerId("worker-0")
                .setFinishReason(FinishReason.FINISH_REASON_STOP_TOKEN)
                .build();
        Rollout parsed = Rollout.parseFrom(rollout.toByteArray());
        assertEquals(rollout, parsed);
        assertFalse(parsed.hasRewardRaw(), "an unset optional reward_raw stays distinguishable from 0");
        assertTrue(
                Rollout.parseFrom(rollout.toBuilder().setRewardRaw(0f).build().toByteArray())
                        .hasRewardRaw());
    }

    @Test
    void scoreResponseNormalizedIsOptional() {
        assertFalse(ScoreResponse.newBuilder().setReward(1f).build().hasNormalized());
    }
}
