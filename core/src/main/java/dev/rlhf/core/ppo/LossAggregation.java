package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a per-token loss becomes the scalar that is minimised.
 *
 * <p>Dimensions: B rollouts, T response tokens. {@code loss} (B, T) is a per-token loss (policy loss, plus a
 * {@link KlPenalty} term), {@code mask} (B, T) marks real tokens, {@code L_b = sum_t mask[b, t]} is the length of row b
 * and B' the number of rows with at least one real token:
 *
 * <pre>
 *   token_mean = sum_{b,t} loss[b, t] * mask[b, t] / sum_b L_b                 every token weighs the same
 *   seq_mean   = (1 / B') * sum_b (sum_t loss[b, t] * mask[b, t]) / L_b         every sequence weighs the same
 * </pre>
 *
 * {@code token_mean} is PPO's and DAPO's (and veRL's {@code loss_agg_mode: token-mean}); {@code seq_mean} is the
 * original GRPO objective (veRL's {@code seq-mean-token-mean}), in which a token of a short response counts more than
 * one of a long response. Both are NDArray arithmetic, so gradients flow through {@code loss}; the mask carries none.
 */
public enum LossAggregation {
    TOKEN_MEAN,
    SEQ_MEAN;

    /** The name used in configs: {@code token_mean}, {@code seq_mean}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The aggregation named {@code name}; an unknown name is an error listing the known ones. */
    public static LossAggregation of(String name) {
        return Arrays.stream(values())
                .filter(a -> a.configName().equalsIgnoreCase(name == null ? "" : name.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown loss aggregation '" + name
                        + "' (expected one of "
                        + Arrays.stream(values())
                                .map(LossAggregation::configName)
                                .collect(Collectors.joining(", "))
                        + ")"));
    }

    /** The scalar loss; 0 when the mask has no real token. */
    public NDArray aggregate(NDArray loss, NDArray mask) {
        if (!loss.getShape().equals(mask.getShape()) || loss.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "loss and mask must both be (B, T), got " + loss.getShape() + " and " + mask.getShape());
        }
        if (this == TOKEN_MEAN) {
            return Masked.mean(loss, mask);
        }
        NDArray weights = Masked.asWeights(mask, loss);
        NDArray lengths = weights.sum(new int[] {1}); // (B)
        NDArray perSequence = loss.mul(weights).sum(new int[] {1}).div(lengths.maximum(1f)); // (B)
        NDArray sequences =
                lengths.gt(0f).toType(perSequence.getDataType(), false).sum(); // B', a scalar
        return perSequence.sum().div(sequences.maximum(1f));
    }
}
