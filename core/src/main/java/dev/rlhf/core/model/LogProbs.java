package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

/**
 * Per-token log-probabilities of given sequences: {@code logprobs[b, i] = log p(ids[b, i+1] | ids[b, 0..i])}.
 *
 * <p>This is the quantity PPO's ratio, the KL penalty against the reference model and perplexity are all built from.
 */
public final class LogProbs {

    private LogProbs() {}

    /**
     * Log-probs (B, T-1) of ids[:, 1:] under {@code lm}, for inputs (ids, padding mask) or (ids, positions, bias),
     * with the head applied to positions 0..T-2 only ({@link CausalLm#nextTokenLogits}): how training and scoring
     * compute them. With gradients when {@code training}.
     */
    public static NDArray ofNextTokens(CausalLm lm, ParameterStore ps, NDList inputs, boolean training) {
        return gather(lm.nextTokenLogits(ps, inputs, training), targets(inputs.get(0)));
    }

    /** From full logits (B, T, V) and the ids (B, T) they were computed on, the log-probs (B, T-1) of ids[:, 1:]. */
    public static NDArray ofNextTokens(NDArray logits, NDArray ids) {
        NDArray predictions = logits.get(new NDIndex(":, :-1, :")); // (B, T-1, V)
        return gather(predictions, targets(ids));
    }

    /** The targets ids[:, 1:] (B, T-1) of ids (B, T). */
    public static NDArray targets(NDArray ids) {
        return ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
    }

    /** log softmax(logits)[target] for logits (..., V) and integer targets (...). */
    public static NDArray gather(NDArray logits, NDArray targets) {
        NDArray logp = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
        return logp.gather(targets.toType(DataType.INT64, false).expandDims(-1), -1)
                .squeeze(-1);
    }
}
