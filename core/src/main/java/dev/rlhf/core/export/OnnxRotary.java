package dev.rlhf.core.export;

import dev.rlhf.core.export.onnx.TensorProto;
import dev.rlhf.core.model.RotaryEmbedding;

/**
 * Rotary position embeddings as ONNX ops, in the Hugging Face "rotate half" convention of {@link RotaryEmbedding}.
 *
 * <p>Dimensions: B batch, H heads, T tokens, E head size. For position p and pair index i &lt; E/2 the angle is
 * {@code p * f_i}, with {@code f_i = theta^(-2i/E)} rescaled by {@code rope_scaling}; features i and i + E/2 rotate
 * together: {@code x * cos + rotateHalf(x) * sin}.
 */
final class OnnxRotary {

    /** cos and sin of every angle, (B, 1, T, E), broadcasting over heads. */
    record Angles(String cos, String sin) {}

    private OnnxRotary() {}

    /**
     * Angles for int64 positions (B, T) and the model's inverse frequencies (E/2), rope scaling applied
     * ({@link RotaryEmbedding#inverseFrequencies}), stored as one initializer.
     */
    static Angles angles(OnnxGraphBuilder g, String positions, float[] inverseFrequency) {
        String inv = g.initializer("rotary.inv_freq", inverseFrequency, inverseFrequency.length); // (E/2)
        String p = g.node("Cast", positions)
                .attr("to", TensorProto.DataType.FLOAT_VALUE)
                .output();
        String column = g.node("Unsqueeze", p, g.ints(-1)).output(); // (B, T, 1)
        String freqs = g.node("Mul", column, inv).output(); // (B, T, E/2)
        String emb = g.node("Concat", freqs, freqs).attr("axis", -1).output(); // (B, T, E)
        String perHead = g.node("Unsqueeze", emb, g.ints(1)).output(); // (B, 1, T, E)
        return new Angles(
                g.node("Cos", perHead).output(), g.node("Sin", perHead).output());
    }

    /** Rotates queries or keys x (B, H, T, E). */
    static String apply(OnnxGraphBuilder g, String x, Angles angles) {
        String[] halves = g.node("Split", x).attr("axis", -1).outputs(2); // 2 x (B, H, T, E/2)
        String negated = g.node("Neg", halves[1]).output();
        String rotated = g.node("Concat", negated, halves[0]).attr("axis", -1).output(); // (B, H, T, E)
        String cosPart = g.node("Mul", x, angles.cos()).output();
        String sinPart = g.node("Mul", rotated, angles.sin()).output();
        return g.node("Add", cosPart, sinPart).output();
    }
}
