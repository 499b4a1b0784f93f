package dev.rlhf.gateway.service;

import dev.rlhf.core.export.OnnxExporter;
import dev.rlhf.gateway.config.GatewayConfig;
import dev.rlhf.proto.client.InferResponses;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;

/**
 * Log-probabilities of a sequence under a causal LM exported as {@code ref} or {@code policy}, through the model's
 * ModelInfer path (batched with concurrent requests). Sequences longer than the model's {@code max_sequence_length} are
 * refused, not cut: a cut would change which tokens the values belong to.
 */
@ApplicationScoped
public class LogProbScorer {

    private final ModelRegistry registry;
    private final String defaultModel;

    public LogProbScorer(ModelRegistry registry, GatewayConfig config) {
        this.registry = registry;
        this.defaultModel = config.logprobModel();
    }

    /** Scores {@code ids}, or the tokens of {@code text} when {@code ids} is empty. */
    public CompletionStage<TokenLogProbs> logProbs(String modelName, long[] ids, String text) {
        ModelBackend model = registry.get(modelName.isEmpty() ? defaultModel : modelName);
        String output = SequenceRequests.output(model, OnnxExporter.LOGPROBS, "LogProbService");
        TokenInputs.checkIds(
                "ids",
                ids,
                model.tokenizer().map(t -> OptionalInt.of(t.vocabSize())).orElse(OptionalInt.empty()));
        long[] sequence = ids.length > 0
                ? ids
                : SequenceRequests.tokenizer(model, "LogProbService").encode(text);
        if (sequence.length == 0) {
            throw new GatewayException.InvalidRequest("ids: the sequence is empty (give ids or a non-empty text)");
        }
        OptionalInt max = SequenceRequests.maxLength(model);
        if (max.isPresent() && sequence.length > max.getAsInt()) {
            throw new GatewayException.InvalidRequest("ids: sequence length " + sequence.length
                    + " exceeds max_sequence_length " + max.getAsInt() + " of model '" + model.name() + "'");
        }
        return model.infer(SequenceRequests.of(model.name(), sequence, output))
                .thenApply(response -> new TokenLogProbs(
                        sequence,
                        InferResponses.fp32(response, output).data(),
                        response.getModelName() + "/" + response.getModelVersion()));
    }
}
