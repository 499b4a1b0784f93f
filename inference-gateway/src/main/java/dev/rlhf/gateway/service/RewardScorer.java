package dev.rlhf.gateway.service;

import dev.rlhf.core.export.OnnxExporter;
import dev.rlhf.core.tokenizer.PromptResponse;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.config.GatewayConfig;
import dev.rlhf.proto.client.InferResponses;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Scores (prompt, response) pairs with a reward model: the pair becomes tokens through {@link PromptResponse} (the
 * layout the RM was trained on), is cut to the model's {@code max_sequence_length} if longer, and goes through the
 * model's ModelInfer path, where concurrent pairs are batched together.
 */
@ApplicationScoped
public class RewardScorer {

    private final ModelRegistry registry;
    private final String defaultModel;

    public RewardScorer(ModelRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.defaultModel = config.rewardModel();
    }

    /** Scores every pair (each its own request, so the batcher can merge them); rewards come in pair order. */
    public CompletionStage<List<Reward>> score(List<ScorePair> pairs) {
        List<CompletableFuture<Reward>> rewards =
                pairs.stream().map(p -> score(p).toCompletableFuture()).toList();
        return CompletableFuture.allOf(rewards.toArray(CompletableFuture[]::new))
                .thenApply(done -> rewards.stream().map(CompletableFuture::join).toList());
    }

    public CompletionStage<Reward> score(ScorePair pair) {
        ModelBackend model = registry.get(pair.model().isEmpty() ? defaultModel : pair.model());
        String output = SequenceRequests.output(model, OnnxExporter.REWARDS, "RewardService");
        Tokenizer tokenizer = SequenceRequests.tokenizer(model, "RewardService");
        OptionalInt vocab = OptionalInt.of(tokenizer.vocabSize());
        TokenInputs.checkIds("prompt_ids", pair.promptIds(), vocab);
        TokenInputs.checkIds("response_ids", pair.responseIds(), vocab);
        long[] ids = pair.tokenized()
                ? PromptResponse.encode(tokenizer, pair.promptIds(), pair.responseIds())
                : PromptResponse.encode(tokenizer, pair.prompt(), pair.response());
        OptionalInt max = SequenceRequests.maxLength(model);
        boolean truncated = max.isPresent() && ids.length > max.getAsInt();
        long[] seen = truncated ? Arrays.copyOf(ids, max.getAsInt()) : ids;
        return model.infer(SequenceRequests.of(model.name(), seen, output))
                .thenApply(response -> new Reward(
                        InferResponses.fp32(response, output).data()[0],
                        seen.length,
                        truncated,
                        response.getModelName() + "/" + response.getModelVersion()));
    }
}
