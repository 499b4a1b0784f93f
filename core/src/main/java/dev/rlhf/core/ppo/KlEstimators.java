package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;

/**
 * Per-token estimators of KL(policy || reference) from samples of the policy (Schulman, "Approximating KL divergence",
 * 2020).
 *
 * <p>Dimensions: B rollouts, T response tokens. {@code logp} (B, T) are the policy's log-probabilities of the sampled
 * tokens, {@code refLogp} (B, T) the reference model's of the same tokens, {@code mask} (B, T) marks real tokens. With
 * {@code r = p_ref(x) / p(x) = exp(refLogp - logp)}:
 *
 * <pre>
 *   k1 = logp - refLogp          = -log r      unbiased, high variance, can be negative
 *   k3 = (r - 1) - log r                       unbiased, lower variance, always &gt;= 0
 * </pre>
 *
 * Both are returned as (B, T) with zeros at padding. The KL of a whole response is the sum of its per-token terms;
 * {@link #meanSequenceKl} averages that over the batch and is the {@code current_kl} the adaptive controller of
 * Ziegler et al. compares with its target.
 */
public final class KlEstimators {

    private KlEstimators() {}

    /** {@code k1 = logp - refLogp} at real tokens, 0 at padding. */
    public static NDArray k1(NDArray logp, NDArray refLogp, NDArray mask) {
        return logp.sub(refLogp).mul(Masked.asWeights(mask, logp));
    }

    /** {@code k3 = (r - 1) - log r}, {@code r = exp(refLogp - logp)}, at real tokens, 0 at padding. */
    public static NDArray k3(NDArray logp, NDArray refLogp, NDArray mask) {
        // log r = 0 at padding before exp, so finite junk there cannot overflow
        NDArray logR = refLogp.sub(logp).mul(Masked.asWeights(mask, logp)); // (B, T)
        return logR.exp().sub(1f).sub(logR);
    }

    /** Mean of a per-token estimate (B, T) over real tokens. */
    public static float meanPerToken(NDArray perToken, NDArray mask) {
        return Masked.meanValue(perToken, mask);
    }

    /** Mean over the B rollouts of each response's KL, {@code sum_t perToken[b, t] * mask[b, t]}. */
    public static float meanSequenceKl(NDArray perToken, NDArray mask) {
        try (NDArray perSequence = Masked.sumPerRow(perToken, mask); // (B)
                NDArray mean = perSequence.mean()) {
            return mean.getFloat();
        }
    }
}
