package dev.rlhf.gateway.mapping;

import dev.rlhf.core.generation.Generation;
import dev.rlhf.gateway.service.GenerationQuery;
import dev.rlhf.gateway.service.Reward;
import dev.rlhf.gateway.service.ScorePair;
import dev.rlhf.gateway.service.StreamedToken;
import dev.rlhf.gateway.service.TokenLogProbs;
import dev.rlhf.proto.v1.FinishReason;
import dev.rlhf.proto.v1.GenerateRequest;
import dev.rlhf.proto.v1.GenerateResponse;
import dev.rlhf.proto.v1.LogProbsResponse;
import dev.rlhf.proto.v1.ScoreBatchResponse;
import dev.rlhf.proto.v1.ScoreRequest;
import dev.rlhf.proto.v1.ScoreResponse;
import java.util.List;
import java.util.OptionalLong;

/** The {@code rlhf.v1} messages to and from the service layer's records. */
public final class ApiMapping {
    private ApiMapping() {}

    public static ScorePair toPair(ScoreRequest request) {
        return new ScorePair(
                request.getModel(),
                request.getPrompt(),
                request.getResponse(),
                longs(request.getPromptIdsList()),
                longs(request.getResponseIdsList()));
    }

    public static ScoreResponse toResponse(Reward reward) {
        return ScoreResponse.newBuilder()
                .setReward(reward.reward())
                .setTokens(reward.tokens())
                .setTruncated(reward.truncated())
                .setModel(reward.model())
                .build();
    }

    public static ScoreBatchResponse toBatchResponse(List<Reward> rewards) {
        return ScoreBatchResponse.newBuilder()
                .addAllResponses(rewards.stream().map(ApiMapping::toResponse).toList())
                .build();
    }

    public static LogProbsResponse toResponse(TokenLogProbs values) {
        LogProbsResponse.Builder response = LogProbsResponse.newBuilder().setModel(values.model());
        for (long id : values.ids()) {
            response.addIds(id);
        }
        for (float logprob : values.logprobs()) {
            response.addLogprobs(logprob);
        }
        return response.build();
    }

    public static GenerationQuery toQuery(GenerateRequest request) {
        return new GenerationQuery(
                request.getModel(),
                request.getPrompt(),
                longs(request.getPromptIdsList()),
                request.getMaxNewTokens(),
                request.getTemperature(),
                request.getTopK(),
                request.getTopP(),
                request.hasSeed() ? OptionalLong.of(request.getSeed()) : OptionalLong.empty(),
                request.getStopList());
    }

    public static GenerateResponse toResponse(StreamedToken token) {
        return GenerateResponse.newBuilder()
                .setTokenId(token.id())
                .setText(token.text())
                .setFinishReason(finishReason(token.finishReason()))
                .setIndex(token.index())
                .setLogprob(token.logprob())
                .build();
    }

    private static FinishReason finishReason(Generation.FinishReason reason) {
        if (reason == null) {
            return FinishReason.FINISH_REASON_UNSPECIFIED;
        }
        return switch (reason) {
            case STOP_TOKEN -> FinishReason.FINISH_REASON_STOP_TOKEN;
            case STOP_STRING -> FinishReason.FINISH_REASON_STOP_STRING;
            case LENGTH -> FinishReason.FINISH_REASON_LENGTH;
        };
    }

    public static long[] longs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
