package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoder with its language-model head ({@code LlamaForCausalLM} / {@code Qwen2ForCausalLM}): ids (B, T) to logits
 * (B, T, V). With {@code tie_word_embeddings} the head reuses the embedding table and has no weight of its own.
 */
public final class CausalLm extends AbstractBlock {

    private final LlamaConfig config;
    private final LlamaModel model;
    private final Linear lmHead;

    public CausalLm(LlamaConfig config) {
        this.config = config;
        this.model = addChildBlock("model", new LlamaModel(config));
        this.lmHead = config.tieWordEmbeddings()
                ? null
                : addChildBlock(
                        "lm_head",
                        Linear.builder()
                                .setUnits(config.vocabSize())
                                .optBias(false)
                                .build());
    }

    public LlamaConfig config() {
        return config;
    }

    public LlamaModel backbone() {
        return model;
    }

    /** Logits (B, T, V); see {@link LlamaModel#forward} for the arguments. */
    public NDArray logits(
            ParameterStore ps, NDArray ids, NDArray positions, NDArray bias, KvCache cache, boolean training) {
        NDArray hidden = model.forward(ps, ids, positions, bias, cache, training);
        return head(ps, hidden, training);
    }

    /**
     * Logits (B, 1, V) of the last of the T positions only: what the next token is drawn from. Prefilling a prompt of
     * T tokens then applies the head (the largest product, D x V) once per row instead of T times, and never holds a
     * (B, T, V) array (5 GB for 16 prompts of 512 tokens over a 151,936-token vocabulary).
     */
    public NDArray lastPositionLogits(
            ParameterStore ps, NDArray ids, NDArray positions, NDArray bias, KvCache cache, boolean training) {
        NDArray hidden = model.forward(ps, ids, positions, bias, cache, training); // (B, T, D)
        return head(ps, hidden.get(new NDIndex(":, -1:, :")), training); // (B, 1, D) -> (B, 1, V)
    }

    /**
     * Logits (B, to - from, V) of positions [from, to) only, for inputs (ids, padding mask) or (ids, positions, bias):
     * the decoder runs over all T positions, the head (D x V per position, the largest product) only over the
     * positions read, so no (B, T, V) array is made and sliced. Position i's logits predict ids[:, i+1].
     */
    public NDArray logits(ParameterStore ps, NDList inputs, long from, long to, boolean training) {
        ModelInputs in = model.inputs(inputs);
        NDArray hidden = model.forward(ps, in.ids(), in.positions(), in.bias(), null, training); // (B, T, D)
        return head(ps, hidden.get(new NDIndex(":, {}:{}", from, to)), training); // (B, to - from, D) -> (.., V)
    }

    /**
     * Logits (B, T-1, V) of positions 0..T-2, the ones that predict ids[:, 1:]: what a next-token loss and per-token
     * log-probs read. The head never sees position T-1, whose prediction has no target.
     */
    public NDArray nextTokenLogits(ParameterStore ps, NDList inputs, boolean training) {
        return logits(ps, inputs, 0, inputs.get(0).getShape().get(1) - 1, training);
    }

    /** The LM head alone: hidden states (B, T, D) to logits (B, T, V). */
    public NDArray head(ParameterStore ps, NDArray hidden, boolean training) {
        if (lmHead != null) {
            return lmHead.forward(ps, new NDList(hidden), training).singletonOrThrow();
        }
        NDArray table = ps.getValue(model.embedTokens().weight(), hidden.getDevice(), training); // (V, D)
        return Linear.linear(hidden, table).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        ModelInputs in = model.inputs(inputs);
        return new NDList(logits(parameterStore, in.ids(), in.positions(), in.bias(), null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        model.initialize(manager, dataType, new Shape(1, 1));
        if (lmHead != null) {
            lmHead.initialize(manager, dataType, new Shape(1, config.hiddenSize()));
        }
    }

    /** Every parameter under its Hugging Face name, e.g. {@code model.layers.0.self_attn.q_proj.weight}. */
    public Map<String, Parameter> hfParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        model.collectParameters("model.", out);
        if (lmHead != null) {
            out.put("lm_head.weight", lmHead.getParameters().get("weight"));
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.vocabSize())};
    }
}
