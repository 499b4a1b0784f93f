package dev.rlhf.gateway.service;

import dev.rlhf.core.export.OnnxExporter;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.ChatTemplateException;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.config.GatewayConfig;
import dev.rlhf.proto.client.InferResponses;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores (prompt, response) pairs with a reward model: the pair becomes tokens in the served model's own chat
 * template through core's {@link ChatLayout} (the layout its trainer used), keeps its last
 * {@code max_sequence_length} tokens if longer (the end, where the reward is read, survives, as in training), and goes
 * through the model's ModelInfer path, where concurrent pairs are batched together.
 *
 * <p>Texts are rendered as a user turn and an assistant turn. Token ids of the contents are laid out only for the
 * project's own template, as before; any other template is refused with INVALID_ARGUMENT ({@link
 * ChatLayout#replyOfContentIds} says why): send texts.
 */
@ApplicationScoped
public class RewardScorer {

    private final ModelRegistry registry;
    private final String defaultModel;
    /** Each model's layout, by name; rebuilt when a reload brings another tokenizer. */
    private final Map<String, ChatLayout> layouts = new ConcurrentHashMap<>();

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
        long[] ids = ids(model, tokenizer, pair);
        OptionalInt max = SequenceRequests.maxLength(model);
        boolean truncated = max.isPresent() && ids.length > max.getAsInt();
        long[] seen = truncated ? Arrays.copyOfRange(ids, ids.length - max.getAsInt(), ids.length) : ids;
        return model.infer(SequenceRequests.of(model.name(), seen, output))
                .thenApply(response -> new Reward(
                        InferResponses.fp32(response, output).data()[0],
                        seen.length,
                        truncated,
                        response.getModelName() + "/" + response.getModelVersion()));
    }

    private long[] ids(ModelBackend model, Tokenizer tokenizer, ScorePair pair) {
        ChatLayout layout = layouts.compute(
                model.name(), (name, known) -> known != null && known.tokenizer() == tokenizer ? known : layout(model));
        try {
            return pair.tokenized()
                    ? layout.replyOfContentIds(pair.promptIds(), pair.responseIds())
                    : layout.reply(pair.prompt(), pair.response());
        } catch (ChatTemplateException e) {
            throw new GatewayException.InvalidRequest("model '" + model.name() + "': " + e.getMessage()
                    + (pair.tokenized() ? " (send prompt and response as text)" : ""));
        }
    }

    private static ChatLayout layout(ModelBackend model) {
        try {
            return ChatLayout.of(SequenceRequests.tokenizer(model, "RewardService"));
        } catch (ChatTemplateException e) {
            throw new GatewayException.NotServable(
                    "RewardService: model '" + model.name() + "' cannot lay out a conversation: " + e.getMessage());
        }
    }
}
