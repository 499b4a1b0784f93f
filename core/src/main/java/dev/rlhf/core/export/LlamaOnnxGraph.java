package dev.rlhf.core.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.core.model.LlamaConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Llama / Mistral / Qwen2 / Qwen3 decoder of a {@link CausalLm} written as ONNX ops: ids (B, T) and padding mask (B, T) to the
 * final-normed hidden states (B, T, D), and the LM head on top.
 *
 * <p>Dimensions: B batch, T tokens, D hidden size, V vocab. Each layer is pre-norm,
 * {@code h = x + attn(norm1(x)); y = h + mlp(norm2(h))}; the embedding is a Gather from the (V, D) table. Positions
 * and the causal-and-padding bias are computed in the graph from the mask, so the served model takes exactly what
 * the DJL model takes.
 */
final class LlamaOnnxGraph {

    private final LlamaConfig config;
    private final OnnxLayers layers;
    private final OnnxGraphBuilder g;

    LlamaOnnxGraph(OnnxGraphBuilder g, CausalLm model) {
        this.config = model.config();
        this.g = g;
        this.layers = new OnnxLayers(g, arrays(model));
    }

    /** Hidden states (B, T, D) for int64 ids (B, T) and an int64 padding mask (B, T). */
    String hiddenStates(String ids, String mask) {
        String x = g.node("Gather", layers.weight("model.embed_tokens.weight"), ids)
                .attr("axis", 0)
                .output(); // (B, T, D)
        OnnxRotary.Angles angles =
                OnnxRotary.angles(g, OnnxMasks.positions(g, mask), config.rotaryInverseFrequencies());
        String bias = OnnxMasks.causalBias(g, mask); // (B, 1, T, T)
        OnnxAttention attention = new OnnxAttention(layers, config);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            String normed = layers.rmsNorm(x, prefix + "input_layernorm.weight", config.rmsNormEps());
            String attended = attention.forward(normed, angles, bias, prefix + "self_attn.");
            String h = g.node("Add", x, attended).output();
            String normed2 = layers.rmsNorm(h, prefix + "post_attention_layernorm.weight", config.rmsNormEps());
            x = g.node("Add", h, layers.swiGlu(normed2, prefix + "mlp.")).output(); // (B, T, D)
        }
        return layers.rmsNorm(x, "model.norm.weight", config.rmsNormEps());
    }

    /**
     * Logits (B, T, V) for hidden states (B, T, D). A tied head transposes the embedding initializer in the graph
     * rather than storing the (V, D) table twice; ONNX Runtime folds that Transpose once, at session load.
     */
    String logits(String hidden) {
        String weight = config.tieWordEmbeddings()
                ? g.node("Transpose", layers.weight("model.embed_tokens.weight"))
                        .attrs("perm", 1, 0)
                        .output() // (D, V)
                : layers.transposedWeight("lm_head.weight"); // (D, V)
        return g.node("MatMul", hidden, weight).output(); // (B, T, V)
    }

    private static Map<String, NDArray> arrays(CausalLm model) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.hfParameters().entrySet()) {
            if (!e.getValue().isInitialized()) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is not initialised");
            }
            out.put(e.getKey(), e.getValue().getArray());
        }
        return out;
    }
}
