package dev.rlhf.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;

/**
 * The parameterised building blocks of the decoder as ONNX ops, over weights looked up by their Hugging Face names.
 *
 * <p>Dimensions: B batch, T tokens, D hidden size, F intermediate size. A torch {@code Linear} weight is (out, in);
 * it is stored transposed, (in, out), under {@code <name>.transposed}, so that {@code MatMul(x, w)} needs no
 * Transpose node at run time. Each weight becomes one initializer however often it is read (a tied LM head reuses
 * the embedding table).
 */
final class OnnxLayers {

    private final OnnxGraphBuilder g;
    private final Map<String, NDArray> weights;
    private final Map<String, String> stored = new HashMap<>();

    OnnxLayers(OnnxGraphBuilder g, Map<String, NDArray> weights) {
        this.g = g;
        this.weights = weights;
    }

    OnnxGraphBuilder graph() {
        return g;
    }

    boolean has(String name) {
        return weights.containsKey(name);
    }

    /** The weight as stored in the checkpoint. */
    String weight(String name) {
        return stored.computeIfAbsent(name, n -> g.weight(n, array(n)));
    }

    /** A 2-D weight (rows, cols) stored as (cols, rows). */
    String transposedWeight(String name) {
        return stored.computeIfAbsent(name + ".transposed", n -> {
            NDArray w = array(name);
            if (w.getShape().dimension() != 2) {
                throw new IllegalArgumentException(name + ": expected a 2-D weight, got " + w.getShape());
            }
            int rows = Math.toIntExact(w.getShape().get(0));
            int cols = Math.toIntExact(w.getShape().get(1));
            float[] values = w.toType(DataType.FLOAT32, false).toFloatArray();
            float[] transposed = new float[values.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    transposed[c * rows + r] = values[r * cols + c];
                }
            }
            return g.weight(n, transposed, cols, rows);
        });
    }

    /** {@code x W^T + b} for the Linear under {@code prefix} ({@code prefix + "weight"}, optional bias). */
    String linear(String x, String prefix) {
        String y = g.node("MatMul", x, transposedWeight(prefix + "weight")).output(); // (..., out)
        String bias = prefix + "bias";
        return has(bias) ? g.node("Add", y, weight(bias)).output() : y;
    }

    /** RMSNorm over the last axis: {@code x / sqrt(mean(x^2) + eps) * weight}. */
    String rmsNorm(String x, String weightName, double eps) {
        String squared = g.node("Pow", x, g.scalar(2f)).output();
        String meanSquare = g.node("ReduceMean", squared)
                .attrs("axes", -1)
                .attr("keepdims", 1)
                .output(); // (B, T, 1)
        String rms = g.node(
                        "Sqrt", g.node("Add", meanSquare, g.scalar((float) eps)).output())
                .output();
        String normed = g.node("Div", x, rms).output();
        return g.node("Mul", normed, weight(weightName)).output();
    }

    /** The SwiGLU feed-forward layer under {@code prefix}: {@code down(silu(gate(x)) * up(x))}, (B, T, D). */
    String swiGlu(String x, String prefix) {
        String gate = linear(x, prefix + "gate_proj."); // (B, T, F)
        String up = linear(x, prefix + "up_proj."); // (B, T, F)
        String silu = g.node("Mul", gate, g.node("Sigmoid", gate).output()).output();
        return linear(g.node("Mul", silu, up).output(), prefix + "down_proj."); // (B, T, D)
    }

    private NDArray array(String name) {
        NDArray w = weights.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' among the model's " + weights.size());
        }
        return w;
    }
}
