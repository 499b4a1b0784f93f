package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The clipped surrogate policy loss of PPO (Schulman et al., "Proximal Policy Optimization Algorithms", 2017), with
 * TRL's names.
 *
 * <p>Dimensions: B rollouts, T response tokens. {@code logp} (B, T) are the current policy's log-probs of the sampled
 * tokens (gradients flow through them), {@code oldLogp} (B, T) the rollout policy's, {@code advantages} (B, T)
 * usually whitened GAE, {@code mask} (B, T) marks real tokens, {@code eps} the clip range:
 *
 * <pre>
 *   ratio         = exp(logp - oldLogp)
 *   pgLoss        = -A * ratio
 *   pgLossClipped = -A * clip(ratio, 1 - eps, 1 + eps)
 *   loss          = mean over real tokens of max(pgLoss, pgLossClipped)
 *   clipFrac      = mean over real tokens of [pgLossClipped &gt; pgLoss]
 *   approxKl      = 0.5 * mean over real tokens of (logp - oldLogp)^2
 * </pre>
 *
 * {@code approxKl} is the k2 estimator of KL(old || new) from samples of the old policy, the form TRL logs as
 * {@code policy/approxkl}; it is non-negative and second-order accurate near ratio 1 (k1, {@code mean(oldLogp -
 * logp)}, is what the original OpenAI baselines logged). Only {@code loss} is part of the graph; the metrics are
 * computed on detached copies.
 */
public final class PpoLoss {

    private PpoLoss() {}

    /**
     * The loss (a scalar in the graph) and metrics as host numbers.
     *
     * @param ratioMean mean over real tokens of the new/old probability ratio (1 before the first step)
     */
    public record Result(NDArray loss, float clipFrac, float approxKl, float ratioMean) {}

    /** The loss averaged over every real token of the batch ({@link LossAggregation#TOKEN_MEAN}). */
    public static Result compute(NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask, double eps) {
        return compute(logp, oldLogp, advantages, mask, eps, LossAggregation.TOKEN_MEAN);
    }

    /** The per-token clipped loss aggregated over the batch as {@code aggregation} says. */
    public static Result compute(
            NDArray logp, NDArray oldLogp, NDArray advantages, NDArray mask, double eps, LossAggregation aggregation) {
        return compute(logp, oldLogp, advantages, mask, eps, aggregation, null);
    }

    /**
     * As above, each token's clipped loss first multiplied by {@code weights} (B, T), the truncated importance-sampling
     * weights of stale rollouts ({@link TruncatedImportanceSampling}); null weighs every token 1.
     */
    public static Result compute(
            NDArray logp,
            NDArray oldLogp,
            NDArray advantages,
            NDArray mask,
            double eps,
            LossAggregation aggregation,
            NDArray weights) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("the clip range eps must be > 0, got " + eps);
        }
        NDArray ratio = logp.sub(oldLogp).exp(); // (B, T)
        NDArray pgLoss = advantages.neg().mul(ratio);
        NDArray pgLossClipped = advantages.neg().mul(ratio.clip(1 - eps, 1 + eps));
        NDArray perToken = pgLoss.maximum(pgLossClipped);
        NDArray loss = aggregation.aggregate(weights == null ? perToken : perToken.mul(weights), mask);
        try (NDManager scratch = logp.getManager().newSubManager()) {
            NDArray logRatio = logp.stopGradient(); // (B, T), outside the graph
            logRatio.attach(scratch);
            logRatio = logRatio.sub(oldLogp);
            NDArray ratioValue = logRatio.exp();
            NDArray clipped = ratioValue.clip(1 - eps, 1 + eps).mul(advantages).neg();
            NDArray unclipped = ratioValue.mul(advantages).neg();
            float clipFrac = Masked.meanValue(clipped.gt(unclipped).toType(DataType.FLOAT32, false), mask);
            float approxKl = 0.5f * Masked.meanValue(logRatio.square(), mask);
            return new Result(loss, clipFrac, approxKl, Masked.meanValue(ratioValue, mask));
        }
    }
}
