package dev.rlhf.core.export;

import dev.rlhf.core.export.onnx.TensorProto;
import dev.rlhf.core.model.AttentionMask;

/**
 * Position ids and the additive attention bias computed inside the graph from the padding mask, as
 * {@link AttentionMask} computes them in DJL.
 *
 * <p>Dimensions: B batch, T tokens. The mask (B, T) is int64, 1 on real tokens and 0 on padding on either side.
 * Positions count real tokens only ({@code max(cumsum(mask) - 1, 0)}); query t may read key s when {@code s <= t} and
 * key s is real, and the bias is 0 there and {@link AttentionMask#MASKED} elsewhere.
 */
final class OnnxMasks {

    private OnnxMasks() {}

    /** Position ids (B, T), int64. */
    static String positions(OnnxGraphBuilder g, String mask) {
        String counted = g.node("CumSum", mask, g.scalar(1L)).output(); // (B, T)
        String fromZero = g.node("Sub", counted, g.scalar(1L)).output();
        return g.node("Max", fromZero, g.scalar(0L)).output();
    }

    /** Additive bias (B, 1, T, T), float32. */
    static String causalBias(OnnxGraphBuilder g, String mask) {
        String length = g.node("Gather", g.node("Shape", mask).output(), g.scalar(1L))
                .attr("axis", 0)
                .output(); // scalar T
        String range = g.node("Range", g.scalar(0L), length, g.scalar(1L)).output(); // (T)
        String keys = g.node("Unsqueeze", range, g.ints(0)).output(); // (1, T): key index s
        String queries = g.node("Unsqueeze", range, g.ints(1)).output(); // (T, 1): query index t
        String causal = g.node("LessOrEqual", keys, queries).output(); // (T, T): s <= t
        String real =
                g.node("Cast", mask).attr("to", TensorProto.DataType.BOOL_VALUE).output();
        String realKeys = g.node("Unsqueeze", real, g.ints(1, 2)).output(); // (B, 1, 1, T)
        String allowed = g.node("And", causal, realKeys).output(); // (B, 1, T, T)
        String asFloat = g.node("Cast", allowed)
                .attr("to", TensorProto.DataType.FLOAT_VALUE)
                .output();
        // (allowed - 1) * 1e9: 0 where allowed, -1e9 elsewhere, exactly as AttentionMask writes it.
        String shifted = g.node("Sub", asFloat, g.scalar(1f)).output();
        return g.node("Mul", shifted, g.scalar(-AttentionMask.MASKED)).output();
    }
}
