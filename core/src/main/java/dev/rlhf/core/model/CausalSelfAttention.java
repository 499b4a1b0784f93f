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
import dev.rlhf.core.lora.LoraLinear;
import java.util.Map;

/**
 * Multi-head self-attention with grouped-query key/value heads (Ainslie et al., GQA, 2023) and rotary positions.
 *
 * <p>Dimensions: B batch, T query positions, S key positions (cached ones plus T), D hidden size, H query heads, K
 * key/value heads, G = H / K queries per key/value head, E head size. Query head h reads key/value head h / G, as
 * transformers' {@code repeat_kv} has it, without making the G copies.
 *
 * <p>Inputs: x (B, T, D), the rotary angles for the T positions, and an additive bias (B, 1, T, S) that is 0 where a
 * query may attend and a large negative number elsewhere (causal order, padding, packed-sequence boundaries).
 *
 * <p>Qwen3 ({@link ModelFamily#qkNorm()}) normalises each query and key head over E with its own RMSNorm
 * ({@code q_norm}, {@code k_norm}, weights of size E) before the rotation. Heads need not tile the hidden size:
 * {@code q_proj} is D -&gt; H*E and {@code o_proj} H*E -&gt; D whatever D is.
 *
 * <p>Each projection is a {@link LoraLinear}: a plain linear until a LoRA adapter is attached to it.
 */
public final class CausalSelfAttention extends AbstractBlock {

    private final int hiddenSize;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final LoraLinear qProj;
    private final LoraLinear kProj;
    private final LoraLinear vProj;
    private final LoraLinear oProj;
    private final RmsNorm qNorm;
    private final RmsNorm kNorm;

    public CausalSelfAttention(LlamaConfig config) {
        this.hiddenSize = config.hiddenSize();
        this.heads = config.numAttentionHeads();
        this.kvHeads = config.numKeyValueHeads();
        this.headDim = config.headDim();
        this.qProj = addChildBlock("q_proj", new LoraLinear(heads * headDim, config.qkvBias()));
        this.kProj = addChildBlock("k_proj", new LoraLinear(kvHeads * headDim, config.qkvBias()));
        this.vProj = addChildBlock("v_proj", new LoraLinear(kvHeads * headDim, config.qkvBias()));
        this.oProj = addChildBlock("o_proj", new LoraLinear(hiddenSize, config.outputBias()));
        boolean qkNorm = config.family().qkNorm();
        this.qNorm = qkNorm ? addChildBlock("q_norm", new RmsNorm(headDim, config.rmsNormEps())) : null;
        this.kNorm = qkNorm ? addChildBlock("k_norm", new RmsNorm(headDim, config.rmsNormEps())) : null;
    }

    /**
     * Attends from x to itself and, when {@code cache} is given, to the cached keys and values of earlier positions,
     * which it then extends with this call's keys and values.
     */
    public NDArray forward(
            ParameterStore ps,
            NDArray x,
            RotaryEmbedding.Angles angles,
            NDArray bias,
            KvCache cache,
            int layer,
            boolean training) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray q = splitHeads(project(qProj, ps, x, training), b, t, heads); // (B, H, T, E)
        NDArray k = splitHeads(project(kProj, ps, x, training), b, t, kvHeads); // (B, K, T, E)
        NDArray v = splitHeads(project(vProj, ps, x, training), b, t, kvHeads); // (B, K, T, E)
        if (qNorm != null) {
            q = normalizeHeads(qNorm, ps, q, training); // (B, H, T, E), each head over E
            k = normalizeHeads(kNorm, ps, k, training); // (B, K, T, E)
        }
        q = RotaryEmbedding.apply(q, angles);
        k = RotaryEmbedding.apply(k, angles);
        if (cache != null) {
            NDList full = cache.append(layer, k, v);
            k = full.get(0); // (B, K, S, E)
            v = full.get(1);
        }
        long s = k.getShape().get(2);
        long group = heads / kvHeads;
        // The G query heads that read one key/value head form one (G*T, E) matrix, so keys and values are read in
        // place instead of being repeated G times: (B, H, T, E) -> (B, K, G*T, E).
        NDArray grouped = q.reshape(b, kvHeads, group * t, headDim);
        NDArray dots = grouped.matMul(k.transpose(0, 1, 3, 2)).reshape(b, heads, t, s); // (B, H, T, S)
        NDArray scores = dots.div(Scalars.like(dots, (float) Math.sqrt(headDim)));
        NDArray probs = scores.add(bias.toType(scores.getDataType(), false)).softmax(-1);
        NDArray context = probs.reshape(b, kvHeads, group * t, s)
                .matMul(v) // (B, K, G*T, E)
                .reshape(b, heads, t, headDim)
                .transpose(0, 2, 1, 3) // (B, T, H, E)
                .reshape(b, t, (long) heads * headDim); // (B, T, H*E)
        return project(oProj, ps, context, training); // (B, T, D)
    }

    private static NDArray project(LoraLinear proj, ParameterStore ps, NDArray x, boolean training) {
        return proj.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private static NDArray normalizeHeads(RmsNorm norm, ParameterStore ps, NDArray x, boolean training) {
        return norm.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private NDArray splitHeads(NDArray x, long b, long t, int n) {
        return x.reshape(b, t, n, headDim).transpose(0, 2, 1, 3); // (B, T, n*E) -> (B, n, T, E)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        RotaryEmbedding.Angles angles = new RotaryEmbedding.Angles(inputs.get(1), inputs.get(2));
        return new NDList(forward(parameterStore, inputs.get(0), angles, inputs.get(3), null, 0, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qProj.initialize(manager, dataType, new Shape(1, hiddenSize));
        kProj.initialize(manager, dataType, new Shape(1, hiddenSize));
        vProj.initialize(manager, dataType, new Shape(1, hiddenSize));
        oProj.initialize(manager, dataType, new Shape(1, (long) heads * headDim));
        if (qNorm != null) {
            qNorm.initialize(manager, dataType, new Shape(1, headDim));
            kNorm.initialize(manager, dataType, new Shape(1, headDim));
        }
    }

    void collectParameters(String prefix, Map<String, Parameter> out) {
        qProj.collectParameters(prefix + "q_proj.", out);
        kProj.collectParameters(prefix + "k_proj.", out);
        vProj.collectParameters(prefix + "v_proj.", out);
        oProj.collectParameters(prefix + "o_proj.", out);
        if (qNorm != null) {
            out.put(prefix + "q_norm.weight", qNorm.weight());
            out.put(prefix + "k_norm.weight", kNorm.weight());
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
