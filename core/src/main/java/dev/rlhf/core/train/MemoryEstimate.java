package dev.rlhf.core.train;

import dev.rlhf.core.model.LlamaConfig;
import java.util.Locale;

/**
 * The peak memory of a training job, estimated before it is queued so that a config too large for the machine is
 * refused (400 naming the keys) instead of getting the process killed. Float32 throughout (4 bytes a value).
 *
 * <p>Letters: B batch rows, T sequence length, L layers, D hidden size, I MLP size, H query heads, K key/value heads,
 * E head size, V vocabulary, P parameters. The parts:
 *
 * <ul>
 *   <li>weights, gradients and AdamW's two moments: {@code 4P} values, {@code P = V*D (+ V*D untied) + L*(2*D*H*E +
 *       2*D*K*E + 3*D*I + 2*D) + D};
 *   <li>activations: every intermediate of the forward pass stays alive until the step's manager closes (DJL), about
 *       {@code ACTIVATION_VALUES_PER_TOKEN_LAYER = 16*D + 4*K*E + 6*I} values per token and layer, and as many again
 *       for their gradients;
 *   <li>attention: the (B, H, T, T) scores, masked scores and softmax of each layer, and their gradients;
 *   <li>logits: the (B, T, V) logits, log-softmax and gradient;
 *   <li>{@link #RUNTIME}: a fixed allowance for the engine, tokenizer and data.
 * </ul>
 *
 * {@code MemoryEstimateTest} checks the total against the resident-set growth of real jobs.
 */
public record MemoryEstimate(long weights, long optimizer, long activations, long attention, long logits) {

    private static final long FLOAT = 4;

    /**
     * What a job needs whatever its size: the engine's workspaces and thread pools, the tokenizer, the data. Measured:
     * 0.16 GiB of resident-set growth for a one-step job of the tiny model at B=8, T=128, where the tensors are 0.08.
     */
    static final long RUNTIME = 192L << 20;

    /**
     * The estimate for training {@code model} on batches of {@code batch} rows of {@code seqLen} tokens.
     *
     * @param lmHead whether the step computes (B, T, V) logits: true for causal LMs, false for a reward model's scalar
     *     head
     */
    public static MemoryEstimate training(LlamaConfig model, int batch, int seqLen, boolean lmHead) {
        long d = model.hiddenSize();
        long e = model.headDim();
        long h = model.numAttentionHeads();
        long k = model.numKeyValueHeads();
        long i = model.intermediateSize();
        long l = model.numHiddenLayers();
        long v = model.vocabSize();
        long tokens = (long) batch * seqLen;
        long parameters = parameterCount(model);
        long activationValues = 2 * tokens * l * (16 * d + 4 * k * e + 6 * i);
        long attentionValues = 2 * 3 * l * batch * h * (long) seqLen * seqLen;
        long logitValues = lmHead ? 3 * tokens * v : 0;
        return new MemoryEstimate(
                FLOAT * 2 * parameters,
                FLOAT * 2 * parameters,
                FLOAT * activationValues,
                FLOAT * attentionValues,
                FLOAT * logitValues);
    }

    /**
     * The same job when only {@code trainable} parameters train beside the frozen model (LoRA adapters, and a reward
     * model's head): weights {@code P + A}, and gradients and AdamW's two moments for {@code A} alone. Activations stay as
     * they are: the backward pass still runs through every frozen layer to reach the adapters below it.
     */
    public static MemoryEstimate adapterTraining(
            LlamaConfig model, int batch, int seqLen, boolean lmHead, long trainable) {
        MemoryEstimate full = training(model, batch, seqLen, lmHead);
        return new MemoryEstimate(
                FLOAT * (parameterCount(model) + 2 * trainable), // weights P + A, gradients A
                FLOAT * 2 * trainable,
                full.activations,
                full.attention,
                full.logits);
    }

    /**
     * This estimate with {@code train.gradient_checkpointing} ({@link CheckpointedBackward}): the activations and
     * attention arrays of one layer at a time, plus the L + 1 layer inputs (B, T, D) kept between the passes.
     */
    public MemoryEstimate checkpointed(LlamaConfig model, int batch, int seqLen) {
        long layers = model.numHiddenLayers();
        long inputs = FLOAT * batch * (long) seqLen * model.hiddenSize() * (layers + 1);
        return new MemoryEstimate(weights, optimizer, activations / layers + inputs, attention / layers, logits);
    }

    /** P, the model's parameters: {@code V*D (+ V*D untied) + L*(2*D*H*E + 2*D*K*E + 3*D*I + 2*D) + D}. */
    static long parameterCount(LlamaConfig model) {
        long d = model.hiddenSize();
        long e = model.headDim();
        long perLayer = 2 * d * model.numAttentionHeads() * e
                + 2 * d * model.numKeyValueHeads() * e
                + 3 * d * model.intermediateSize()
                + 2 * d;
        return (long) model.vocabSize() * d * (model.tieWordEmbeddings() ? 1 : 2)
                + model.numHiddenLayers() * perLayer
                + d;
    }

    /**
     * What sizes an estimate, for a refusal: the config keys that drive it and what to change.
     *
     * @param keys e.g. {@code "train.batch_size, seq_len"}
     * @param remedy e.g. {@code "lower train.batch_size or seq_len"}
     */
    public record Advice(String keys, String remedy) {}

    /**
     * Running {@code model} forward without gradients on {@code batch} rows of {@code seqLen} tokens, as a generator
     * does: the weights, the KV cache ({@code 2*L*K*E} values per token) and one step's (B, T, V) logits.
     */
    public static MemoryEstimate inference(LlamaConfig model, int batch, int seqLen) {
        long tokens = (long) batch * seqLen;
        long kvCache = 2L * model.numHiddenLayers() * model.numKeyValueHeads() * model.headDim() * tokens;
        return new MemoryEstimate(
                FLOAT * parameterCount(model), 0, FLOAT * kvCache, 0, FLOAT * tokens * model.vocabSize());
    }

    /** Both jobs' parts added: two models in one process. */
    public MemoryEstimate plus(MemoryEstimate other) {
        return new MemoryEstimate(
                weights + other.weights,
                optimizer + other.optimizer,
                activations + other.activations,
                attention + other.attention,
                logits + other.logits);
    }

    /** Bytes in all. */
    public long total() {
        return RUNTIME + weights + optimizer + activations + attention + logits;
    }

    /** E.g. {@code 3.2 GiB (weights+grads 0.1, AdamW 0.1, activations 1.0, attention 1.5, logits 0.5 GiB)}. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s (weights+grads %s, AdamW %s, activations %s, attention %s, logits %s)",
                gib(total()),
                gib(weights),
                gib(optimizer),
                gib(activations),
                gib(attention),
                gib(logits));
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
