package dev.rlhf.core.ppo;

import java.util.List;

/**
 * What one PPO gradient step measured, before its update was applied.
 *
 * @param policyLoss the clipped surrogate loss ({@link PpoLoss})
 * @param valueLoss the clipped value loss ({@link ValueLoss})
 * @param clipFrac fraction of real tokens where the policy ratio was clipped
 * @param valueClipFrac fraction of real tokens where the value prediction was clipped
 * @param approxKl KL(old || new) by the k2 estimator, per token
 * @param ratioMean mean new/old probability ratio over real tokens
 * @param entropy the policy's mean per-token entropy
 * @param policyGradNorm the policy's gradient norm before clipping
 * @param criticGradNorm the critic's gradient norm before clipping
 */
public record MinibatchStats(
        double policyLoss,
        double valueLoss,
        double clipFrac,
        double valueClipFrac,
        double approxKl,
        double ratioMean,
        double entropy,
        double policyGradNorm,
        double criticGradNorm) {

    /** The field-wise mean over an iteration's applied steps; every field NaN when none was applied. */
    public static MinibatchStats mean(List<MinibatchStats> steps) {
        int n = steps.size();
        if (n == 0) {
            return new MinibatchStats(
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN);
        }
        return new MinibatchStats(
                steps.stream().mapToDouble(MinibatchStats::policyLoss).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::valueLoss).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::clipFrac).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::valueClipFrac).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::approxKl).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::ratioMean).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::entropy).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::policyGradNorm).sum() / n,
                steps.stream().mapToDouble(MinibatchStats::criticGradNorm).sum() / n);
    }
}
