package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the positions decoded so far, one pair per layer, each (B, K, S, E) (see
 * {@link CausalSelfAttention} for the letters).
 *
 * <p>The cache owns its arrays in its own manager, so a decode loop can close each step's temporaries while the cache
 * lives on; closing the cache frees them all.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Appends this step's keys and values (B, K, T, E) and returns the whole (B, K, S, E) pair. */
    NDList append(int layer, NDArray k, NDArray v) {
        keys[layer] = extend(keys[layer], k);
        values[layer] = extend(values[layer], v);
        return new NDList(keys[layer], values[layer]);
    }

    private NDArray extend(NDArray cached, NDArray step) {
        NDArray full = cached == null ? step.duplicate() : NDArrays.concat(new NDList(cached, step), 2);
        full.attach(manager);
        if (cached != null) {
            cached.close();
        }
        return full;
    }

    /** Number of cached positions S. */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    @Override
    public void close() {
        manager.close();
    }
}
