package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Reductions over the real tokens of a padded batch: TRL's {@code masked_mean} and {@code masked_var}.
 *
 * <p>Dimensions: B rollouts, T response tokens. A mask (B, T) holds 1 at real tokens and 0 at padding; any numeric or
 * boolean type works. Let {@code n = sum(mask)}:
 *
 * <pre>
 *   mean(x) = sum(x * mask) / n
 *   var(x)  = mean((x - mean(x))^2) * n / (n - 1)     (unbiased; the biased form drops the factor)
 * </pre>
 *
 * Everything is NDArray arithmetic, so gradients flow through {@code x}.
 */
public final class Masked {

    private Masked() {}

    /** The mask as 0/1 in x's floating type (float32 for non-floating x), so that {@code x * mask} zeroes padding. */
    public static NDArray asWeights(NDArray mask, NDArray like) {
        DataType type = like.getDataType().isFloating() ? like.getDataType() : DataType.FLOAT32;
        return mask.toType(type, false);
    }

    /** Number of real tokens, {@code sum(mask)}, as a host number. */
    public static float count(NDArray mask) {
        try (NDArray asFloat = mask.toType(DataType.FLOAT32, true);
                NDArray sum = asFloat.sum()) {
            return sum.getFloat();
        }
    }

    /** {@code sum_t x[b, t] * mask[b, t]}: each row's total over its real tokens, (B) from (B, T). */
    public static NDArray sumPerRow(NDArray x, NDArray mask) {
        return x.mul(asWeights(mask, x)).sum(new int[] {1});
    }

    /** {@code sum(x * mask) / sum(mask)}: a scalar NDArray; 0 when there is no real token. */
    public static NDArray mean(NDArray x, NDArray mask) {
        NDArray weights = asWeights(mask, x);
        return x.mul(weights).sum().div(weights.sum().maximum(1f));
    }

    /** Masked variance (a scalar NDArray); {@code unbiased} applies Bessel's correction n / (n - 1). */
    public static NDArray variance(NDArray x, NDArray mask, boolean unbiased) {
        NDArray centered = x.sub(mean(x, mask));
        NDArray variance = mean(centered.square(), mask);
        if (!unbiased) {
            return variance;
        }
        float n = count(mask);
        if (n < 2) {
            throw new IllegalArgumentException("an unbiased variance needs at least 2 real tokens, the mask has " + n);
        }
        return variance.mul(n / (n - 1));
    }

    /** {@code mean(x)} as a host number, for metrics. */
    public static float meanValue(NDArray x, NDArray mask) {
        try (NDArray mean = mean(x, mask)) {
            return mean.getFloat();
        }
    }
}
