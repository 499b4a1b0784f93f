package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Entropy of the policy's next-token distribution, for the entropy bonus and the {@code objective/entropy} metric.
 *
 * <p>Dimensions: B rollouts, T response tokens, V vocabulary. From logits (B, T, V), with {@code p = softmax(logits)}:
 *
 * <pre>
 *   H[b, t] = -sum_v p_v * log p_v
 * </pre>
 *
 * computed from {@code logSoftmax} so that tiny probabilities cost no precision. A uniform distribution over V tokens
 * has entropy {@code log V}; a one-hot one, 0.
 */
public final class Entropy {

    private Entropy() {}

    /** Per-token entropy (B, T) of logits (B, T, V). */
    public static NDArray perToken(NDArray logits) {
        NDArray logp = logits.toType(DataType.FLOAT32, false).logSoftmax(-1); // (B, T, V)
        return logp.exp().mul(logp).sum(new int[] {-1}).neg(); // (B, T)
    }

    /** Mean entropy over real tokens: a scalar in the graph, so it can serve as a bonus in the loss. */
    public static NDArray mean(NDArray logits, NDArray mask) {
        return Masked.mean(perToken(logits), mask);
    }
}
