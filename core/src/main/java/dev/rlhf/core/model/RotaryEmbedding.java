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
 * how Llama, Qwen and Mistral checkpoints on the Hub expect it. {@code rope_scaling} rescales the frequencies
 * ({@link RopeScaling}); the scalings supported (linear, llama3) leave the cos/sin amplitude at 1.
 */
public final class RotaryEmbedding {

    /** cos and sin of every angle, shaped (B, 1, T, E) so that they broadcast over heads. */
    public record Angles(NDArray cos, NDArray sin) {}

    private RotaryEmbedding() {}

    /**
     * The inverse frequencies {@code theta^(-2i/E)}, i &lt; E/2, rescaled by {@code scaling}: transformers'
     * {@code 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))} in float32 (exponent, power and reciprocal each
     * rounded to float32, as on its float32 tensor), so the DJL model and the ONNX export share the same bits.
     */
    public static float[] inverseFrequencies(int headDim, double theta, RopeScaling scaling) {
        float[] inverseFrequency = new float[headDim / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            inverseFrequency[i] = 1f / (float) Math.pow((float) theta, exponent);
        }
        return scaling.rescale(inverseFrequency);
    }

    /** Angles for the given positions (B, T), integer or float, with unscaled frequencies. */
    public static Angles angles(NDArray positions, int headDim, double theta) {
        return angles(positions, inverseFrequencies(headDim, theta, RopeScaling.NONE));
    }

    /** Angles {@code p * f} for positions p (B, T), integer or float, and inverse frequencies f (E/2). */
    public static Angles angles(NDArray positions, float[] inverseFrequency) {
        NDManager manager = positions.getManager();
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
