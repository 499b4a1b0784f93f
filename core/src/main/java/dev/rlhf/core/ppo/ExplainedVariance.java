package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;

/**
 * How much of the returns' variance the critic explains, over real tokens (the {@code val/var_explained} metric):
 *
 * <pre>
 *   explainedVariance = 1 - Var(returns - values) / Var(returns)
 * </pre>
 *
 * 1 is a perfect critic, 0 one no better than the mean return, negative one worse than that. Dimensions: B rollouts,
 * T response tokens; all inputs (B, T). Both variances are biased (the correction cancels in the ratio). NaN when the
 * returns are constant.
 */
public final class ExplainedVariance {

    private ExplainedVariance() {}

    public static double of(NDArray returns, NDArray values, NDArray mask) {
        try (NDArray residual = returns.sub(values);
                NDArray residualVariance = Masked.variance(residual, mask, false);
                NDArray returnsVariance = Masked.variance(returns, mask, false)) {
            double varReturns = returnsVariance.getFloat();
            if (varReturns == 0) {
                return Double.NaN;
            }
            return 1 - residualVariance.getFloat() / varReturns;
        }
    }
}
