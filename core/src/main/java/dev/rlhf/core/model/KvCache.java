package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the positions decoded so far, one pair per layer, each (B, K, S, E) (see
 * {@link CausalSelfAttention} for the letters).
 *
 * <p>Each layer's keys and values live in a buffer with room for more positions than are filled: a step writes its
 * T positions in place and attention reads a view of the S filled ones, so a decode step copies only its own keys
 * and values, not the whole cache (concatenating would copy all S positions of every layer at every step). A full
 * buffer grows to twice its size, capped at the cache's maximum length, so the copies over a whole generation add up to
 * at most about twice its final size.
 *
 * <p>The cache owns its buffers in its own manager, so a decode loop can close each step's temporaries (the views
 * included) while the cache lives on; closing the cache frees them all.
 */
public final class KvCache implements AutoCloseable {

    /** Positions of room a new buffer gets beyond the ones it must hold at once. */
    static final long HEADROOM = 128;

    private final NDManager manager;
    private final long maxLength;
    private final long headroom;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final long[] lengths;

    /** @param maxLength the most positions the cache will hold (prompt + new tokens); more is refused */
    public KvCache(NDManager parent, int layers, long maxLength) {
        this(parent, layers, maxLength, HEADROOM);
    }

    KvCache(NDManager parent, int layers, long maxLength, long headroom) {
        this.manager = parent.newSubManager();
        this.maxLength = maxLength;
        this.headroom = headroom;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.lengths = new long[layers];
    }

    /**
     * Writes this step's keys and values (B, K, T, E) after the cached ones and returns views of all S filled
     * positions (B, K, S, E), owned by the manager of {@code k} (the caller's step), not by the cache.
     */
    NDList append(int layer, NDArray k, NDArray v) {
        long from = lengths[layer];
        long to = from + k.getShape().get(2);
        if (to > maxLength) {
            throw new IllegalStateException(
                    "KV cache of layer " + layer + " holds at most " + maxLength + " positions, asked for " + to);
        }
        keys[layer] = withRoomFor(keys[layer], k, from, to);
        values[layer] = withRoomFor(values[layer], v, from, to);
        NDIndex slot = new NDIndex(":, :, {}:{}", from, to);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        lengths[layer] = to;
        NDIndex filled = new NDIndex(":, :, :{}", to);
        return new NDList(view(keys[layer], filled, k), view(values[layer], filled, v));
    }

    /** {@code buffer} when it has room for positions [0, to), else a larger one holding its first {@code filled}. */
    private NDArray withRoomFor(NDArray buffer, NDArray step, long filled, long to) {
        long capacity = buffer == null ? 0 : buffer.getShape().get(2);
        if (to <= capacity) {
            return buffer;
        }
        long grown = Math.min(maxLength, Math.max(2 * capacity, to + headroom));
        Shape s = step.getShape();
        NDArray larger = manager.zeros(new Shape(s.get(0), s.get(1), grown, s.get(3)), step.getDataType());
        if (buffer != null) {
            NDIndex kept = new NDIndex(":, :, :{}", filled);
            try (NDArray old = buffer.get(kept)) {
                larger.set(kept, old);
            }
            buffer.close();
        }
        return larger;
    }

    private static NDArray view(NDArray buffer, NDIndex filled, NDArray owner) {
        NDArray view = buffer.get(filled);
        view.attach(owner.getManager());
        return view;
    }

    /** Number of cached positions S. */
    public long length() {
        return lengths[0];
    }

    /** Positions the buffers of layer 0 have room for (at least {@link #length()}). */
    long capacity() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    @Override
    public void close() {
        manager.close();
    }
}
