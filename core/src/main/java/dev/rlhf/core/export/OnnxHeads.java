package dev.rlhf.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.rlhf.core.export.onnx.TensorProto;
import dev.rlhf.core.model.LogProbs;
import dev.rlhf.core.model.ScalarHead;

/**
 * What a served model returns, written on top of the decoder's hidden states.
 *
 * <p>Dimensions: B batch, T tokens, D hidden size, V vocab.
 *
 * <ul>
 *   <li>log-probs (B, T-1): {@code logprobs[b, i] = log_softmax(logits[b, i])[ids[b, i+1]]}, as
 *       {@link LogProbs#ofNextTokens} computes them; the (B, T, V) logits never leave the graph.
 *   <li>rewards (B): the {@link ScalarHead} value at the last real token of each row, found as
 *       {@code argmax_t mask[b, t] * (t + 1)} so that left and right padding both work.
 * </ul>
 */
final class OnnxHeads {

    private OnnxHeads() {}

    /** Log-probs (B, T-1) of ids[:, 1:] under the LM head, output under {@code name}. */
    static String logProbs(OnnxGraphBuilder g, LlamaOnnxGraph decoder, String hidden, String ids, String name) {
        // The last position predicts a token that is not there: drop it before the (D, V) product.
        String prefix =
                g.node("Slice", hidden, g.ints(0), g.ints(-1), g.ints(1)).output(); // (B, T-1, D)
        String logits = decoder.logits(prefix); // (B, T-1, V)
        String logp = g.node("LogSoftmax", logits).attr("axis", -1).output(); // (B, T-1, V)
        String targets = g.node("Slice", ids, g.ints(1), g.ints(Long.MAX_VALUE), g.ints(1))
                .output(); // (B, T-1)
        String index = g.node("Unsqueeze", targets, g.ints(2)).output(); // (B, T-1, 1)
        String picked = g.node("GatherElements", logp, index).attr("axis", 2).output(); // (B, T-1, 1)
        return g.node("Squeeze", picked, g.ints(2)).output(name); // (B, T-1)
    }

    /** Rewards (B) from hidden states (B, T, D), the int64 mask (B, T) and score.weight (1, D). */
    static String rewards(OnnxGraphBuilder g, String hidden, String mask, NDArray scoreWeight, String name) {
        long d = scoreWeight.getShape().get(1);
        // (1, D) row-major holds the same numbers in the same order as its transpose (D, 1).
        float[] values = scoreWeight.toType(DataType.FLOAT32, false).toFloatArray();
        String weight = g.initializer(ScalarHead.HF_NAME + ".transposed", values, d, 1);
        String scores = g.node("MatMul", hidden, weight).output(); // (B, T, 1)
        String perToken = g.node("Squeeze", scores, g.ints(2)).output(); // (B, T)

        String length = g.node("Gather", g.node("Shape", mask).output(), g.scalar(1L))
                .attr("axis", 0)
                .output(); // scalar T
        String end = g.node("Add", length, g.scalar(1L)).output();
        String steps = g.node("Range", g.scalar(1L), end, g.scalar(1L)).output(); // (T): 1..T
        String lastIsLargest = g.node("Mul", mask, steps).output(); // (B, T): t+1 on real tokens, 0 on padding
        String asFloat = g.node("Cast", lastIsLargest)
                .attr("to", TensorProto.DataType.FLOAT_VALUE)
                .output();
        String last =
                g.node("ArgMax", asFloat).attr("axis", 1).attr("keepdims", 1).output(); // (B, 1)
        String picked = g.node("GatherElements", perToken, last).attr("axis", 1).output(); // (B, 1)
        return g.node("Squeeze", picked, g.ints(1)).output(name); // (B)
    }
}
