package dev.rlhf.core.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.SaveOptions;
import dev.rlhf.core.data.PackedBatch;
import dev.rlhf.core.data.TokenBatch;
import dev.rlhf.core.model.AttentionMask;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.train.JobAdapter;
import dev.rlhf.core.train.NextTokenLoss;
import dev.rlhf.core.train.TrainStep;
import dev.rlhf.core.train.TrainingTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Supervised fine-tuning and pretraining as a {@link TrainingTask}: the next-token loss on the tokens the loss mask
 * marks (assistant turns in SFT, every token in pretraining). Packed rows are fed with per-example positions and a
 * block-diagonal causal mask, so packing changes throughput, not the loss. With a LoRA adapter only the adapter trains,
 * and checkpoints hold the adapter (PEFT's layout) instead of the model.
 */
final class SftTask implements TrainingTask<TokenBatch> {

    private static final NextTokenLoss LOSS = new NextTokenLoss();

    private final LanguageModel lm;
    private final Optional<JobAdapter> adapter;
    private final Path tokenizerDir;
    private final SampleWriter samples;
    private final SaveOptions save;
    private final boolean checkpointing;

    /**
     * @param save how a full model's checkpoints store their weights ({@code save})
     * @param checkpointing {@code train.gradient_checkpointing}
     */
    SftTask(
            LanguageModel lm,
            Optional<JobAdapter> adapter,
            Path tokenizerDir,
            SampleWriter samples,
            SaveOptions save,
            boolean checkpointing) {
        this.lm = lm;
        this.checkpointing = checkpointing;
        this.adapter = adapter;
        this.tokenizerDir = tokenizerDir;
        this.samples = samples;
        this.save = save;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return adapter.map(a -> a.lora().trainableParameters())
                .orElseGet(() -> lm.block().hfParameters());
    }

    @Override
    public MicroStep backward(TokenBatch batch, float scale) {
        try (NDManager m = lm.manager().newSubManager()) {
            float loss = checkpointing
                    ? TrainStep.backwardCheckpointed(lm.block(), inputs(m, batch), labels(m, batch), scale)
                    : TrainStep.backward(lm.block(), inputs(m, batch), labels(m, batch), scale);
            return new MicroStep(loss, batch.realTokens());
        }
    }

    /** Token-weighted mean loss over the eval batches, and its perplexity. */
    @Override
    public Map<String, Double> evaluate(Iterator<TokenBatch> batches) {
        double nll = 0;
        double targets = 0;
        while (batches.hasNext()) {
            TokenBatch batch = batches.next();
            try (NDManager m = lm.manager().newSubManager()) {
                NDList labels = labels(m, batch);
                NDArray logits = lm.block().nextTokenLogits(lm.inferenceStore(), inputs(m, batch), false);
                double count = labels.get(1).get(new NDIndex(":, 1:")).sum().getLong();
                nll += LOSS.evaluate(labels, new NDList(logits)).getFloat() * count;
                targets += count;
            }
        }
        double loss = targets == 0 ? Double.NaN : nll / targets;
        return Map.of("eval_loss", loss, "eval_ppl", Math.exp(loss));
    }

    static NDList inputs(NDManager m, TokenBatch batch) {
        NDArray ids = m.create(batch.ids());
        if (batch instanceof PackedBatch packed) {
            NDArray segments = m.create(packed.segmentIds());
            return new NDList(ids, m.create(packed.positions()), AttentionMask.packedBias(segments));
        }
        return new NDList(ids, m.create(batch.paddingMask()));
    }

    static NDList labels(NDManager m, TokenBatch batch) {
        return new NDList(m.create(batch.ids()), m.create(batch.lossMask()));
    }

    @Override
    public String selectionMetric() {
        return "eval_loss";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public void writeModel(Path dir) throws IOException {
        if (adapter.isPresent()) {
            adapter.get().writeFiles(dir, tokenizerDir);
        } else {
            HfCheckpoint.writeFiles(lm, dir, tokenizerDir, save);
        }
    }

    @Override
    public void afterEvaluation(long step) throws IOException {
        samples.write(lm, step);
    }
}
