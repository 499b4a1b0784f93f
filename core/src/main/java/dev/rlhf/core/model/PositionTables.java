package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;

/**
 * A model's causal bias and rotary cos/sin tables, built once for the longest sequence seen and then sliced or
 * gathered per forward pass instead of rebuilt from {@code arange} for every batch (transformers keeps the same as
 * {@code cos_cached} / {@code sin_cached} and its causal-mask buffer).
 *
 * <p>Dimensions: N table length, T queries, S keys, B batch, E head size. The tables cover N = the next power of two
 * at or above every S asked for; a longer sequence rebuilds them at that size. The old tables are not closed then (a
 * forward on another thread may still read a view of them) but stay in this cache's manager until the model closes,
 * so the cache holds at most twice its largest tables. The values are the ones {@link AttentionMask#causalBias} and
 * {@link RotaryEmbedding#angles} compute, bit for bit: the same float32 operations per element.
 */
final class PositionTables {

    private final NDManager manager;
    private final float[] inverseFrequencies;
    private NDArray causal; // (N, N): 0 where key s <= query t, MASKED elsewhere
    private NDArray cos; // (N, E)
    private NDArray sin; // (N, E)

    PositionTables(NDManager manager, float[] inverseFrequencies) {
        this.manager = manager;
        this.inverseFrequencies = inverseFrequencies;
    }

    /**
     * The causal bias (1, 1, T, S) of the last T of S positions, a view of the table, attached to {@code owner}; 0
     * where query t may read key s (s &lt;= S - T + t), {@link AttentionMask#MASKED} elsewhere.
     */
    synchronized NDArray causalBias(long queries, long keys, NDManager owner) {
        if (causal == null || causal.getShape().get(0) < keys) {
            long n = capacity(keys);
            try (NDManager scope = manager.newSubManager()) {
                NDArray positions = scope.arange(0L, n);
                NDArray allowed = positions.reshape(1, n).lte(positions.reshape(n, 1)); // (N, N): key <= query
                causal = allowed.toType(DataType.FLOAT32, false).sub(1f).mul(-AttentionMask.MASKED);
                causal.attach(manager);
            }
        }
        NDArray rows = causal.get(new NDIndex("{}:{}, :{}", keys - queries, keys, keys)); // (T, S), a view
        rows.attach(owner); // what follows lands in the caller's manager, not in the cache's
        return rows.expandDims(0).expandDims(0); // (1, 1, T, S)
    }

    /**
     * cos and sin (B, 1, T, E) of integer positions (B, T), every one below {@code bound}: rows of the (N, E) tables,
     * gathered, attached to the positions' manager.
     */
    synchronized RotaryEmbedding.Angles angles(NDArray positions, long bound) {
        if (cos == null || cos.getShape().get(0) < bound) {
            long n = capacity(bound);
            try (NDManager scope = manager.newSubManager()) {
                NDArray freqs = scope.arange(0L, n)
                        .toType(DataType.FLOAT32, false)
                        .expandDims(-1)
                        .mul(scope.create(inverseFrequencies)); // (N, E/2)
                NDArray emb = NDArrays.concat(new NDList(freqs, freqs), -1); // (N, E)
                cos = emb.cos();
                sin = emb.sin();
                cos.attach(manager);
                sin.attach(manager);
            }
        }
        NDArray index = positions.toType(DataType.INT64, false);
        NDArray c = gather(index, cos); // (B, T, E)
        NDArray s = gather(index, sin);
        return new RotaryEmbedding.Angles(c.expandDims(1), s.expandDims(1)); // (B, 1, T, E)
    }

    private static NDArray gather(NDArray index, NDArray table) {
        NDArray rows = index.getNDArrayInternal()
                .embedding(index, table, SparseFormat.DENSE)
                .singletonOrThrow();
        rows.attach(index.getManager());
        return rows;
    }

    private static long capacity(long length) {
        return Math.max(16, Long.highestOneBit(Math.max(1, length - 1)) << 1);
    }
}
