package dev.rlhf.core.data;

/**
 * A batch of token rows (B, T) for a causal language model, as plain arrays; the trainer turns them into NDArrays.
 * Masks hold 1 and 0.
 */
public sealed interface TokenBatch permits Batch, PackedBatch {
    /** Token ids (B, T); padding holds the pad id. */
    long[][] ids();

    /** 1 where the token is a training target (B, T); never on padding. */
    long[][] lossMask();

    /** 1 on real tokens, 0 on padding (B, T). */
    long[][] paddingMask();

    /** B, the number of rows. */
    default int rows() {
        return ids().length;
    }

    /** T, the length of every row. */
    default int length() {
        return ids().length == 0 ? 0 : ids()[0].length;
    }

    /** The number of real (non-padding) tokens. */
    default long realTokens() {
        long n = 0;
        for (long[] row : paddingMask()) {
            for (long real : row) {
                n += real;
            }
        }
        return n;
    }
}
