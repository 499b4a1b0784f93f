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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Llama decoder stack without a head (transformers' {@code LlamaModel}, {@code model.*} in a checkpoint): token
 * embedding, L decoder layers, final RMSNorm. Maps ids (B, T) to hidden states (B, T, D).
 */
public final class LlamaModel extends AbstractBlock {

    private final LlamaConfig config;
    private final TokenEmbedding embedTokens;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final float[] inverseFrequencies;
    private PositionTables tables; // made with the parameters, in the model's manager

    public LlamaModel(LlamaConfig config) {
        this.config = config;
        this.inverseFrequencies = config.rotaryInverseFrequencies();
        this.embedTokens = addChildBlock("embed_tokens", new TokenEmbedding(config.vocabSize(), config.hiddenSize()));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderLayer(config)));
        }
        this.norm = addChildBlock("norm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
    }

    public LlamaConfig config() {
        return config;
    }

    TokenEmbedding embedTokens() {
        return embedTokens;
    }

    /**
     * Hidden states (B, T, D) for ids (B, T) at the given positions (B, T), attending under the additive bias (B, 1,
     * T, S); with a cache, S counts the cached positions too and the cache is extended by these T. A sliding-window
     * model refuses S beyond its window (see {@link LlamaConfig#requireWithinSlidingWindow}).
     */
    public NDArray forward(
            ParameterStore ps, NDArray ids, NDArray positions, NDArray bias, KvCache cache, boolean training) {
        long keys = ids.getShape().get(1) + (cache == null ? 0 : cache.length());
        config.requireWithinSlidingWindow(keys, "the sequence length (cached + new tokens)");
        NDArray x = embed(ps, ids, training);
        RotaryEmbedding.Angles angles = angles(positions, keys);
        boolean keepIntermediates = training || NoGrad.recording();
        for (int i = 0; i < layers.size(); i++) {
            x = keepIntermediates
                    ? layers.get(i).forward(ps, x, angles, bias, cache, i, training)
                    : layerFreeingItsIntermediates(i, ps, x, angles, bias, cache);
        }
        return finalNorm(ps, x, training);
    }

    /**
     * Layer {@code i} for a forward that records no graph: DJL keeps every array an operation makes until its manager
     * closes, so the layer runs in a scope of its own that takes its input along and frees both with its intermediates
     * as it ends; only the output stays (in the input's manager). An inference forward then holds one layer's arrays
     * at a time instead of all L layers'. A cache keeps its buffers in its own manager, so a prefill frees each layer
     * too.
     */
    private NDArray layerFreeingItsIntermediates(
            int i, ParameterStore ps, NDArray x, RotaryEmbedding.Angles angles, NDArray bias, KvCache cache) {
        NDManager outer = x.getManager();
        try (NDManager scope = outer.newSubManager()) {
            x.attach(scope);
            NDArray y = layers.get(i).forward(ps, x, angles, bias, cache, i, false);
            y.attach(outer);
            return y;
        }
    }

    /** Token embeddings (B, T, D) of ids (B, T). */
    public NDArray embed(ParameterStore ps, NDArray ids, boolean training) {
        return embedTokens.forward(ps, new NDList(ids), training).singletonOrThrow();
    }

    /** The (V, D) embedding table. */
    public Parameter embeddingWeight() {
        return embedTokens.weight();
    }

    /** Rotary angles for positions (B, T) attending over {@code keys} positions. */
    public RotaryEmbedding.Angles angles(NDArray positions, long keys) {
        return positions.getDataType().isInteger() && tables != null
                ? tables.angles(positions, keys) // every position is below the sequence length
                : RotaryEmbedding.angles(positions, inverseFrequencies);
    }

    /** L, the number of decoder layers. */
    public int layerCount() {
        return layers.size();
    }

    /** Decoder layer {@code i} on hidden states (B, T, D), without a cache. */
    public NDArray layer(
            int i, ParameterStore ps, NDArray x, RotaryEmbedding.Angles angles, NDArray bias, boolean training) {
        return layers.get(i).forward(ps, x, angles, bias, null, i, training);
    }

    /** The final RMSNorm. */
    public NDArray finalNorm(ParameterStore ps, NDArray x, boolean training) {
        return norm.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * Positions and bias for inputs (ids, padding mask), the causal part sliced from this model's tables; or (ids,
     * positions, bias) as given, for packed rows.
     */
    public ModelInputs inputs(NDList inputs) {
        return ModelInputs.of(inputs, tables);
    }

    /** Inputs (ids, padding mask), or (ids, positions, bias) for packed rows. */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        ModelInputs in = inputs(inputs);
        return new NDList(forward(parameterStore, in.ids(), in.positions(), in.bias(), null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(1, 1, config.hiddenSize());
        embedTokens.initialize(manager, dataType, new Shape(1, 1));
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        norm.initialize(manager, dataType, hidden);
        tables = new PositionTables(manager.newSubManager(), inverseFrequencies);
    }

    void collectParameters(String prefix, Map<String, Parameter> out) {
        out.put(prefix + "embed_tokens.weight", embedTokens.weight());
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).collectParameters(prefix + "layers." + i + ".", out);
        }
        out.put(prefix + "norm.weight", norm.weight());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }
}
