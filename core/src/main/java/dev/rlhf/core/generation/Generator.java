package dev.rlhf.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.rlhf.core.jobs.Cancellation;
import dev.rlhf.core.model.AttentionMask;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.core.model.KvCache;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.ModelInputs;
import dev.rlhf.core.model.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Batched autoregressive decoding. Prompts of different lengths are left-padded into one batch; a prefill pass over
 * the prompts fills the KV cache, then each step feeds only the B newest tokens (B, 1). With the cache off, each step
 * recomputes the whole prefix instead, which is the reference the cached path is tested against.
 *
 * <p>A job's cancel stops decoding within one step: before each forward pass the loop asks the thread's
 * {@link Cancellation} and, when the job was cancelled, throws {@link java.util.concurrent.CancellationException}
 * instead of finishing the batch.
 */
public final class Generator {

    private static final long PAD = 0;

    private final LanguageModel model;
    private final Function<long[], String> detokenizer;

    /** @param detokenizer turns token ids into text; needed only for stop strings (may be null otherwise) */
    public Generator(LanguageModel model, Function<long[], String> detokenizer) {
        this.model = model;
        this.detokenizer = detokenizer;
    }

    public List<Generation> generate(List<long[]> prompts, SamplingConfig config) {
        return generate(prompts, config, null);
    }

    /**
     * Like {@link #generate(List, SamplingConfig)}, and hands each new token to {@code onToken} as soon as it is
     * chosen, in step order (all rows of one step, then the next step), on the calling thread.
     */
    public List<Generation> generate(List<long[]> prompts, SamplingConfig config, Consumer<GeneratedToken> onToken) {
        SamplingConfig[] configs = new SamplingConfig[prompts.size()];
        Arrays.fill(configs, config);
        Sampler[] samplers = new Sampler[prompts.size()];
        Arrays.fill(samplers, new Sampler(config)); // one sampler draws every row, in row order
        return decode(prompts, configs, samplers, config.useKvCache(), onToken);
    }

    /**
     * Like {@link #generate(List, SamplingConfig, Consumer)}, with each row sampled and stopped by its own settings
     * (its own seeded sampler, {@code max_new_tokens}, stop tokens and strings), so that unrelated requests can share
     * one batch: a row's tokens do not depend on the other rows' settings (only, through the padded batch's
     * arithmetic, on float rounding). The KV cache is used when the first row's settings ask for it.
     */
    public List<Generation> generateRows(
            List<long[]> prompts, List<SamplingConfig> rowConfigs, Consumer<GeneratedToken> onToken) {
        if (rowConfigs.size() != prompts.size()) {
            throw new IllegalArgumentException(
                    rowConfigs.size() + " sampling settings for " + prompts.size() + " prompts");
        }
        SamplingConfig[] configs = rowConfigs.toArray(new SamplingConfig[0]);
        Sampler[] samplers = rowConfigs.stream().map(Sampler::new).toArray(Sampler[]::new);
        boolean cache = rowConfigs.isEmpty() || rowConfigs.get(0).useKvCache();
        return decode(prompts, configs, samplers, cache, onToken);
    }

    private List<Generation> decode(
            List<long[]> prompts,
            SamplingConfig[] configs,
            Sampler[] samplers,
            boolean useKvCache,
            Consumer<GeneratedToken> onToken) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        if (Arrays.stream(configs).anyMatch(c -> !c.stopStrings().isEmpty()) && detokenizer == null) {
            throw new IllegalArgumentException("stop strings need a tokenizer to decode with");
        }
        GenerationBatch batch = new GenerationBatch(prompts, PAD);
        int maxNewTokens = Arrays.stream(configs)
                .mapToInt(SamplingConfig::maxNewTokens)
                .max()
                .orElseThrow();
        int maxLength = batch.promptLength() + maxNewTokens;
        if (maxLength > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("prompt (" + batch.promptLength() + ") + max_new_tokens ("
                    + maxNewTokens + ") exceeds max_position_embeddings="
                    + model.config().maxPositionEmbeddings());
        }
        model.config().requireWithinSlidingWindow(maxLength, "prompt + max_new_tokens");
        try (NoGrad noGrad = NoGrad.open();
                NDManager session = model.manager().newSubManager();
                KvCache cache = useKvCache ? new KvCache(session, model.config().numHiddenLayers(), maxLength) : null) {
            Cancellation.check("generation before the prompt's forward pass");
            float[][] logits = prefill(session, batch, cache);
            for (int step = 0; step < maxNewTokens; step++) {
                long[] next = new long[batch.size()];
                boolean[] live = new boolean[batch.size()];
                for (int row = 0; row < batch.size(); row++) {
                    live[row] = !batch.finished(row);
                    next[row] = live[row] ? samplers[row].next(logits[row]) : PAD;
                }
                batch.append(next, configs, detokenizer);
                if (onToken != null) {
                    report(batch, live, next, logits, onToken);
                }
                if (batch.allFinished() || step == maxNewTokens - 1) {
                    break;
                }
                Cancellation.check("generation at token " + (step + 1) + " of " + maxNewTokens);
                logits = cache == null ? fullForward(session, batch) : decodeStep(session, batch, next, cache);
            }
        }
        return batch.results();
    }

    private static void report(
            GenerationBatch batch, boolean[] live, long[] next, float[][] logits, Consumer<GeneratedToken> onToken) {
        for (int row = 0; row < live.length; row++) {
            if (live[row]) {
                float logprob = Sampler.logProbability(logits[row], (int) next[row]);
                onToken.accept(
                        new GeneratedToken(row, batch.generated(row) - 1, next[row], logprob, batch.finishReason(row)));
            }
        }
    }

    private float[][] prefill(NDManager session, GenerationBatch batch, KvCache cache) {
        if (cache == null) {
            return fullForward(session, batch);
        }
        try (NDManager step = session.newSubManager()) {
            NDArray ids = step.create(batch.ids()); // (B, T)
            ModelInputs in = block().backbone().inputs(new NDList(ids, step.create(batch.mask())));
            return lastRow(block().lastPositionLogits(store(), in.ids(), in.positions(), in.bias(), cache, false));
        }
    }

    /** Feeds the B newest tokens (B, 1) at their positions; they attend to every cached real token. */
    private float[][] decodeStep(NDManager session, GenerationBatch batch, long[] next, KvCache cache) {
        try (NDManager step = session.newSubManager()) {
            NDArray ids = step.create(next).reshape(batch.size(), 1); // (B, 1)
            NDArray positions = step.create(batch.lastPositions()).reshape(batch.size(), 1); // (B, 1)
            NDArray bias = AttentionMask.causalBias(step.create(batch.mask()), 1); // (B, 1, 1, S)
            return lastRow(block().lastPositionLogits(store(), ids, positions, bias, cache, false));
        }
    }

    private float[][] fullForward(NDManager session, GenerationBatch batch) {
        try (NDManager step = session.newSubManager()) {
            NDArray ids = step.create(batch.ids()); // (B, S)
            ModelInputs in = block().backbone().inputs(new NDList(ids, step.create(batch.mask())));
            return lastRow(block().lastPositionLogits(store(), in.ids(), in.positions(), in.bias(), null, false));
        }
    }

    /** Logits of the last position, (B, 1, V) -> B rows of V. */
    private static float[][] lastRow(NDArray logits) {
        Shape shape = logits.getShape();
        int b = (int) shape.get(0);
        int v = (int) shape.get(2);
        float[] flat = logits.get(new NDIndex(":, -1, :")).toFloatArray(); // (B, V)
        List<float[]> rows = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            float[] row = new float[v];
            System.arraycopy(flat, i * v, row, 0, v);
            rows.add(row);
        }
        return rows.toArray(new float[0][]);
    }

    private CausalLm block() {
        return model.block();
    }

    private ParameterStore store() {
        return model.inferenceStore();
    }
}
