package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/** One pre-norm transformer layer: {@code h = x + attn(norm1(x)); y = h + mlp(norm2(h))}. */
public final class DecoderLayer extends AbstractBlock {

    private final int hiddenSize;
    private final RmsNorm inputNorm;
    private final CausalSelfAttention attention;
    private final RmsNorm postAttentionNorm;
    private final SwiGluMlp mlp;

    public DecoderLayer(LlamaConfig config) {
        this.hiddenSize = config.hiddenSize();
        this.inputNorm = addChildBlock("input_layernorm", new RmsNorm(hiddenSize, config.rmsNormEps()));
        this.attention = addChildBlock("self_attn", new CausalSelfAttention(config));
        this.postAttentionNorm =
                addChildBlock("post_attention_layernorm", new RmsNorm(hiddenSize, config.rmsNormEps()));
        this.mlp = addChildBlock("mlp", new SwiGluMlp(config));
    }

    public NDArray forward(
            ParameterStore ps,
            NDArray x,
            RotaryEmbedding.Angles angles,
            NDArray bias,
            KvCache cache,
            int layer,
            boolean training) {
        NDArray normed = inputNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray h = x.add(attention.forward(ps, normed, angles, bias, cache, layer, training));
        NDList normed2 = postAttentionNorm.forward(ps, new NDList(h), training);
        return h.add(mlp.forward(ps, normed2, training).singletonOrThrow());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        RotaryEmbedding.Angles angles = new RotaryEmbedding.Angles(inputs.get(1), inputs.get(2));
        return new NDList(forward(parameterStore, inputs.get(0), angles, inputs.get(3), null, 0, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(1, 1, hiddenSize);
        inputNorm.initialize(manager, dataType, hidden);
        attention.initialize(manager, dataType, hidden);
        postAttentionNorm.initialize(manager, dataType, hidden);
        mlp.initialize(manager, dataType, hidden);
    }

    void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "input_layernorm.weight", inputNorm.weight());
        attention.collectParameters(prefix + "self_attn.", out);
        out.put(prefix + "post_attention_layernorm.weight", postAttentionNorm.weight());
        mlp.collectParameters(prefix + "mlp.", out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
