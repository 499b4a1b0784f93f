package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embeddings (Su et al., RoFormer, 2021) in the Hugging Face "rotate half" convention.
 *
 * <p>Dimensions: B batch, H heads, T positions, E head size. For position p and pair index i &lt; E/2 the angle is
 * {@code p * theta^(-2i/E)}; features i and i + E/2 form the rotated pair (not 2i and 2i+1 as in the paper), which is
 * how Llama and Qwen2 checkpoints on the Hub expect it.
 */
public final class RotaryEmbedding {

    /** cos and sin of every angle, shaped (B, 1, T, E) so that they broadcast over heads. */
    public record Angles(NDArray cos, NDArray sin) {}

    private RotaryEmbedding() {}

    /** Angles for the given positions (B, T), integer or float. */
    public static Angles angles(NDArray positions, int headDim, double theta) {
        NDManager manager = positions.getManager();
        float[] inverseFrequency = new float[headDim / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            inverseFrequency[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
        }
        NDArray inv = manager.create(inverseFrequency); // (E/2)
        NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(inv); // (B, T, E/2)
        NDArray emb = NDArrays.concat(new NDList(freqs, freqs), -1).expandDims(1); // (B, 1, T, E)
        return new Angles(emb.cos(), emb.sin());
    }

    /** Rotates queries or keys x (B, H, T, E): {@code x * cos + rotateHalf(x) * sin}. */
    public static NDArray apply(NDArray x, Angles angles) {
        NDArray cos = angles.cos();
        NDArray sin = angles.sin();
        if (x.getDataType() != cos.getDataType()) {
            cos = cos.toType(x.getDataType(), false);
            sin = sin.toType(x.getDataType(), false);
        }
        return x.mul(cos).add(rotateHalf(x).mul(sin));
    }

    /** (x1, x2) -> (-x2, x1) over the two halves of the last axis. */
    static NDArray rotateHalf(NDArray x) {
        long half = x.getShape().getLastDimension() / 2;
        NDArray first = x.get(new NDIndex("..., :{}", half));
        NDArray second = x.get(new NDIndex("..., {}:", half));
        return NDArrays.concat(new NDList(second.neg(), first), -1);
    }
}
