package dev.rlhf.core.export;

import dev.rlhf.core.model.CausalSelfAttention;
import dev.rlhf.core.model.LlamaConfig;

/**
 * Grouped-query causal self-attention as ONNX ops, the graph of {@link CausalSelfAttention} without a KV cache.
 *
 * <p>Dimensions: B batch, T tokens, D hidden size, H query heads, K key/value heads, G = H / K, E head size. Query
 * head h reads key/value head h / G (transformers' {@code repeat_kv}). B and T stay dynamic: reshapes copy them with
 * 0 or infer them with -1, never spell them out. Qwen3's {@code q_norm} / {@code k_norm} normalise each head over E
 * before the rotation.
 */
final class OnnxAttention {

    private final OnnxLayers layers;
    private final OnnxGraphBuilder g;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final boolean qkNorm;
    private final double eps;

    OnnxAttention(OnnxLayers layers, LlamaConfig config) {
        this.layers = layers;
        this.g = layers.graph();
        this.heads = config.numAttentionHeads();
        this.kvHeads = config.numKeyValueHeads();
        this.headDim = config.headDim();
        this.qkNorm = config.family().qkNorm();
        this.eps = config.rmsNormEps();
    }

    /** Attention output (B, T, D) for x (B, T, D) under the additive bias (B, 1, T, T). */
    String forward(String x, OnnxRotary.Angles angles, String bias, String prefix) {
        String q = splitHeads(layers.linear(x, prefix + "q_proj."), heads); // (B, H, T, E)
        String k = splitHeads(layers.linear(x, prefix + "k_proj."), kvHeads); // (B, K, T, E)
        String v = splitHeads(layers.linear(x, prefix + "v_proj."), kvHeads); // (B, K, T, E)
        if (qkNorm) {
            q = layers.rmsNorm(q, prefix + "q_norm.weight", eps); // (B, H, T, E), each head over E
            k = layers.rmsNorm(k, prefix + "k_norm.weight", eps); // (B, K, T, E)
        }
        q = OnnxRotary.apply(g, q, angles);
        k = repeatKv(OnnxRotary.apply(g, k, angles)); // (B, H, T, E)
        v = repeatKv(v); // (B, H, T, E)
        String keysT = g.node("Transpose", k).attrs("perm", 0, 1, 3, 2).output(); // (B, H, E, T)
        String scores = g.node("MatMul", q, keysT).output(); // (B, H, T, T)
        String scaled =
                g.node("Div", scores, g.scalar((float) Math.sqrt(headDim))).output();
        String masked = g.node("Add", scaled, bias).output();
        String probs = g.node("Softmax", masked).attr("axis", -1).output();
        String context = g.node("MatMul", probs, v).output(); // (B, H, T, E)
        String byToken = g.node("Transpose", context).attrs("perm", 0, 2, 1, 3).output(); // (B, T, H, E)
        String merged =
                g.node("Reshape", byToken, g.ints(0, 0, (long) heads * headDim)).output(); // (B, T, H*E)
        return layers.linear(merged, prefix + "o_proj."); // (B, T, D)
    }

    /** (B, T, n*E) -> (B, n, T, E). */
    private String splitHeads(String x, int n) {
        String split = g.node("Reshape", x, g.ints(0, 0, n, headDim)).output(); // (B, T, n, E)
        return g.node("Transpose", split).attrs("perm", 0, 2, 1, 3).output(); // (B, n, T, E)
    }

    /** (B, K, T, E) -> (B, H, T, E), each key/value head repeated G times in place (repeat_interleave). */
    private String repeatKv(String x) {
        int group = heads / kvHeads;
        if (group == 1) {
            return x;
        }
        String grouped = g.node("Unsqueeze", x, g.ints(2)).output(); // (B, K, 1, T, E)
        String expanded = g.node("Expand", grouped, g.ints(1, 1, group, 1, 1)).output(); // (B, K, G, T, E)
        return g.node("Reshape", expanded, g.ints(0, heads, -1, headDim)).output(); // (B, H, T, E)
    }
}
