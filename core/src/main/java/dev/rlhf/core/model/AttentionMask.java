package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Builds the additive attention bias and the position ids from a padding mask.
 *
 * <p>The padding mask (B, S) is 1 on real tokens and 0 on padding, on either side. A query at position t of the last T
 * may read key s when s &lt;= S - T + t (causal order) and key s is real. Positions count real tokens only, so that a
 * left-padded sequence gets the same positions, and hence the same outputs, as the sequence alone.
 */
public final class AttentionMask {

    /** What masked scores get: far below any real score, yet finite so a fully masked row gives no NaN. */
    public static final float MASKED = -1e9f;

    private AttentionMask() {}

    /** Additive bias (B, 1, T, S) for the last T queries over all S keys. */
    public static NDArray causalBias(NDArray paddingMask, long queryLength) {
        NDManager manager = paddingMask.getManager();
        long keyLength = paddingMask.getShape().get(1);
        NDArray queryPositions =
                manager.arange(keyLength - queryLength, keyLength).reshape(queryLength, 1); // (T, 1)
        NDArray keyPositions = manager.arange(0L, keyLength).reshape(1, keyLength); // (1, S)
        NDArray causal = keyPositions.lte(queryPositions).reshape(1, 1, queryLength, keyLength); // (1, 1, T, S)
        return withPadding(toBias(causal), paddingMask);
    }

    /**
     * The bias (B, 1, T, S) from a causal bias (1, 1, T, S) built once per shape ({@link PositionTables}) and the
     * padding mask (B, S): masked where either masks, one broadcast {@code minimum} per batch.
     */
    static NDArray withPadding(NDArray causal, NDArray paddingMask) {
        long keyLength = paddingMask.getShape().get(1);
        NDArray real = paddingMask.toType(DataType.BOOLEAN, false).reshape(-1, 1, 1, keyLength); // (B, 1, 1, S)
        return causal.minimum(toBias(real)); // (B, 1, T, S)
    }

    /**
     * Bias (B, 1, T, T) for packed rows: query t reads key s when s &lt;= t and both belong to the same segment.
     * Segment ids (B, T) number the examples packed into a row; padding gets segment id -1 and reads nothing.
     */
    public static NDArray packedBias(NDArray segmentIds) {
        NDManager manager = segmentIds.getManager();
        long length = segmentIds.getShape().get(1);
        NDArray positions = manager.arange(0L, length);
        NDArray causal = positions.reshape(1, length).lte(positions.reshape(length, 1)); // (T, T)
        NDArray sameSegment = segmentIds.expandDims(2).eq(segmentIds.expandDims(1)); // (B, T, T)
        NDArray real = segmentIds.gte(0).expandDims(1); // (B, 1, T)
        return toBias(sameSegment.logicalAnd(real).logicalAnd(causal).expandDims(1)); // (B, 1, T, T)
    }

    /** Position ids (B, S): the index of each token among the real tokens of its row (0 on leading padding). */
    public static NDArray positions(NDArray paddingMask) {
        return paddingMask.toType(DataType.INT64, false).cumSum(1).sub(1).maximum(0);
    }

    private static NDArray toBias(NDArray allowed) {
        return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED);
    }
}
