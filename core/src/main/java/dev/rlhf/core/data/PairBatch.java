package dev.rlhf.core.data;

import java.util.Arrays;

/**
 * A batch of ranked examples for one reward-model forward pass: every completion of every example is one row, the
 * rows of an example adjacent and best first (for pairs: chosen, rejected, chosen, rejected, ...), right-padded to the
 * longest row. The arrays are not copied: treat them as read-only.
 *
 * @param ids token ids (N, T), N the total number of completions
 * @param paddingMask 1 on real tokens, 0 on padding (N, T)
 * @param groupSizes K of each example, in row order; they sum to N
 * @param margins the margin of each example
 */
public record PairBatch(long[][] ids, long[][] paddingMask, int[] groupSizes, float[] margins) {
    public PairBatch {
        if (groupSizes.length != margins.length) {
            throw new IllegalArgumentException(groupSizes.length + " groups but " + margins.length + " margins");
        }
        if (Arrays.stream(groupSizes).sum() != ids.length) {
            throw new IllegalArgumentException("group sizes do not add up to the " + ids.length + " rows");
        }
    }

    /** The number of examples (groups). */
    public int examples() {
        return groupSizes.length;
    }

    /** The number of ordered pairs over all examples. */
    public int pairs() {
        return Arrays.stream(groupSizes).map(k -> k * (k - 1) / 2).sum();
    }

    /** Tokens that are not padding. */
    public long realTokens() {
        return Arrays.stream(paddingMask)
                .mapToLong(row -> Arrays.stream(row).sum())
                .sum();
    }
}
