package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoder with a scalar head: the reward model, and the critic of PPO. One value per position (B, T); the reward of
 * a sequence is the value at its last real token, whatever the padding side.
 *
 * <p>On disk it is transformers' {@code *ForSequenceClassification} with {@code num_labels=1}: the {@code model.*}
 * tensors of the backbone plus {@code score.weight} (1, D), no LM head. The LM head of the underlying {@link CausalLm}
 * (present when embeddings are untied) is carried along unused.
 */
public final class RewardModel implements AutoCloseable {

    private final LanguageModel lm;
    private final ScalarHead head;

    private RewardModel(LanguageModel lm, ScalarHead head) {
        this.lm = lm;
        this.head = head;
    }

    /**
     * Puts a new scalar head on a language model's backbone (e.g. an SFT checkpoint), initialised with std
     * 1/sqrt(D+1) as TRL does so that initial rewards are of order one. Takes ownership of {@code lm}.
     */
    public static RewardModel withNewHead(LanguageModel lm, long seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        int hidden = lm.config().hiddenSize();
        ScalarHead head = new ScalarHead(hidden);
        head.setInitializer(new NormalInitializer((float) (1 / Math.sqrt(hidden + 1))), Parameter.Type.WEIGHT);
        head.initialize(lm.manager(), DataType.FLOAT32, new Shape(1, 1, hidden));
        return new RewardModel(lm, head);
    }

    public LanguageModel languageModel() {
        return lm;
    }

    public LlamaConfig config() {
        return lm.config();
    }

    public ScalarHead head() {
        return head;
    }

    /** Per-position values (B, T); {@code training} turns on gradient recording through the given store. */
    public NDArray values(ParameterStore ps, NDArray ids, NDArray paddingMask, boolean training) {
        NDArray hidden = lm.block()
                .backbone()
                .forward(ps, new NDList(ids, paddingMask), training)
                .singletonOrThrow(); // (B, T, D)
        return head.forward(ps, new NDList(hidden), training).singletonOrThrow(); // (B, T)
    }

    /** Reward (B) of each row from the backbone's final-normed hidden states (B, T, D). */
    public NDArray rewardsOf(ParameterStore ps, NDArray hidden, NDArray paddingMask, boolean training) {
        NDArray values = head.forward(ps, new NDList(hidden), training).singletonOrThrow(); // (B, T)
        return atLastRealToken(values, paddingMask);
    }

    /** Reward (B) of each row: its value at the last real token. */
    public NDArray rewards(ParameterStore ps, NDArray ids, NDArray paddingMask, boolean training) {
        return atLastRealToken(values(ps, ids, paddingMask, training), paddingMask);
    }

    /** Inference-only rewards. */
    public NDArray rewards(NDArray ids, NDArray paddingMask) {
        return rewards(lm.inferenceStore(), ids, paddingMask, false);
    }

    /**
     * Picks values (B, T) at the last position whose mask is 1: the argmax over t of mask[t] * (t + 1) works for left
     * padding, right padding and none.
     */
    public static NDArray atLastRealToken(NDArray values, NDArray paddingMask) {
        long length = paddingMask.getShape().get(1);
        NDArray weights = paddingMask
                .toType(DataType.INT64, false)
                .mul(paddingMask.getManager().arange(1L, length + 1)); // (B, T)
        NDArray last = weights.argMax(1).expandDims(1); // (B, 1)
        return values.gather(last, 1).squeeze(1); // (B)
    }

    /** Backbone and head under their Hugging Face names (no {@code lm_head}). */
    public Map<String, Parameter> hfParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        lm.block().hfParameters().forEach((name, p) -> {
            if (name.startsWith("model.")) {
                out.put(name, p);
            }
        });
        out.put(ScalarHead.HF_NAME, head.weight());
        return out;
    }

    @Override
    public void close() {
        lm.close();
    }
}
