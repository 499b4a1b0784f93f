package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;

/**
 * Whitening over the real tokens of a batch (TRL's {@code masked_whiten}).
 *
 * <p>Dimensions: B rollouts, T response tokens; {@code mask} (B, T) marks real tokens. With {@code mu} and
 * {@code sigma^2} the masked mean and unbiased variance ({@link Masked}):
 *
 * <pre>
 *   shiftMean = true:   whiten(x) = (x - mu) / sqrt(sigma^2 + 1e-8)            mean 0, std 1
 *   shiftMean = false:  whiten(x) = (x - mu) / sqrt(sigma^2 + 1e-8) + mu       mean mu, std 1
 * </pre>
 *
 * Advantages are whitened with the mean removed; rewards, when whitened at all, keep it so that their sign still
 * says better or worse than nothing. Padding is 0 in the output.
 */
public final class Whiten {

    /** Added to the variance so that a constant batch does not divide by zero. */
    public static final float EPSILON = 1e-8f;

    private Whiten() {}

    /** Whitened with the mean removed: mean 0 and standard deviation 1 over real tokens. */
    public static NDArray whiten(NDArray x, NDArray mask) {
        return whiten(x, mask, true);
    }

    /** Whitened to standard deviation 1; {@code shiftMean = false} adds the mean back. Needs two real tokens. */
    public static NDArray whiten(NDArray x, NDArray mask, boolean shiftMean) {
        NDArray mean = Masked.mean(x, mask);
        NDArray std = Masked.variance(x, mask, true).add(EPSILON).sqrt();
        NDArray whitened = x.sub(mean).div(std);
        if (!shiftMean) {
            whitened = whitened.add(mean);
        }
        return whitened.mul(Masked.asWeights(mask, x));
    }
}
