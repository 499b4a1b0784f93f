package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rlhf.core.model.Scalars;

/**
 * The clipped value loss of PPO's critic (as in OpenAI baselines, lm-human-preferences and TRL).
 *
 * <p>Dimensions: B rollouts, T response tokens. {@code values} (B, T) are the critic's current predictions (gradients
 * flow through them), {@code oldValues} (B, T) its predictions at rollout time, {@code returns} (B, T) the GAE targets
 * {@code R = A + V_old}, {@code mask} (B, T) marks real tokens, {@code c} the value clip range:
 *
 * <pre>
 *   vClipped   = oldValues + clip(values - oldValues, -c, c)
 *   vfLoss     = 0.5 * mean over real tokens of max((values - R)^2, (vClipped - R)^2)
 *   vfClipFrac = mean over real tokens of [(vClipped - R)^2 &gt; (values - R)^2]
 * </pre>
 *
 * The clipped branch keeps one update from moving a value further than {@code c} from where the rollout left it.
 * Only {@code loss} is part of the graph; {@code clipFrac} is computed on detached copies.
 */
public final class ValueLoss {

    private ValueLoss() {}

    /** {@code vfLoss} (a scalar in the graph) and {@code vfClipFrac} as a host number. */
    public record Result(NDArray loss, float clipFrac) {}

    public static Result compute(NDArray values, NDArray oldValues, NDArray returns, NDArray mask, double c) {
        if (!(c > 0)) {
            throw new IllegalArgumentException("the value clip range must be > 0, got " + c);
        }
        NDArray vClipped = values.sub(oldValues).clip(-c, c).add(oldValues); // (B, T)
        NDArray vfLosses = values.sub(returns).square();
        NDArray vfLossesClipped = vClipped.sub(returns).square();
        NDArray mean = Masked.mean(vfLosses.maximum(vfLossesClipped), mask);
        NDArray loss = mean.mul(Scalars.like(mean, 0.5f)); // a kept scalar: see Scalars;
        try (NDManager scratch = vfLosses.getManager().newSubManager()) {
            NDArray unclipped = vfLosses.stopGradient();
            unclipped.attach(scratch);
            NDArray clipped = vfLossesClipped.stopGradient();
            clipped.attach(scratch);
            float clipFrac = Masked.meanValue(clipped.gt(unclipped).toType(DataType.FLOAT32, false), mask);
            return new Result(loss, clipFrac);
        }
    }
}
