package dev.rlhf.core.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.SaveOptions;
import dev.rlhf.core.data.PairBatch;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.train.CheckpointedBackward;
import dev.rlhf.core.train.JobAdapter;
import dev.rlhf.core.train.TrainStep;
import dev.rlhf.core.train.TrainingTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reward modelling as a {@link TrainingTask}: every reply of a batch (chosen and rejected of B pairs: 2B rows; or the
 * K rows of each ranked group) goes through one forward pass, the reward of each row is read at its last real token,
 * and the {@link RankingLoss} over all pairs is minimised (for pairs, the Bradley-Terry loss).
 *
 * <p>Metrics: per step, {@code accuracy} and {@code margin} of the training batch; per evaluation, over every
 * held-out pair, {@code eval_accuracy} (the fraction with r_better > r_worse; ties count as wrong),
 * {@code eval_margin} (the mean of r_better - r_worse) and {@code eval_loss}. {@code checkpoints/best} is the highest
 * eval accuracy.
 *
 * <p>With a LoRA adapter only the adapter and the score head train, and checkpoints hold them in PEFT's layout (the
 * head as {@code modules_to_save}) instead of the model.
 */
public final class RmTask implements TrainingTask<PairBatch> {

    private final RewardModel rm;
    private final Optional<JobAdapter> adapter;
    private final Path tokenizerDir;
    private final int padId;
    private final SaveOptions save;
    private final boolean checkpointing;

    /**
     * @param tokenizerDir copied into every checkpoint
     * @param padId written as {@code pad_token_id} into the checkpoint's {@code config.json}
     */
    public RmTask(RewardModel rm, Path tokenizerDir, int padId) {
        this(rm, Optional.empty(), tokenizerDir, padId, SaveOptions.DEFAULT, false);
    }

    /**
     * @param adapter the LoRA adapter on {@code rm}, the only part (with the head) that trains and is saved
     * @param save how a full model's checkpoints store their weights ({@code save})
     * @param checkpointing {@code train.gradient_checkpointing}
     */
    public RmTask(
            RewardModel rm,
            Optional<JobAdapter> adapter,
            Path tokenizerDir,
            int padId,
            SaveOptions save,
            boolean checkpointing) {
        this.rm = rm;
        this.checkpointing = checkpointing;
        this.adapter = adapter;
        this.tokenizerDir = tokenizerDir;
        this.padId = padId;
        this.save = save;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return adapter.map(a -> a.lora().trainableParameters()).orElseGet(rm::hfParameters);
    }

    @Override
    public MicroStep backward(PairBatch batch, float scale) {
        try (NDManager m = rm.languageModel().manager().newSubManager()) {
            NDArray ids = m.create(batch.ids());
            NDArray mask = m.create(batch.paddingMask());
            NDList out = checkpointing
                    ? CheckpointedBackward.backward(
                            rm.languageModel().block().backbone(),
                            new NDList(ids, mask),
                            (ps, hidden) -> ranking(batch, rm.rewardsOf(ps, hidden, mask, true)),
                            scale)
                    : TrainStep.backward(m, ps -> ranking(batch, rm.rewards(ps, ids, mask, true)), scale);
            PairOutcomes outcomes = PairOutcomes.of(out.get(1).toFloatArray(), batch.groupSizes());
            Map<String, Double> extra = new LinkedHashMap<>();
            extra.put("accuracy", outcomes.accuracy());
            extra.put("margin", outcomes.meanMargin());
            return new MicroStep(out.head().getFloat(), batch.realTokens(), extra);
        }
    }

    /** The ranking loss of a batch's rewards (N), and the rewards. */
    private static NDList ranking(PairBatch batch, NDArray rewards) {
        return new NDList(RankingLoss.evaluate(rewards, batch.groupSizes(), batch.margins()), rewards);
    }

    /** Pair-weighted accuracy, margin and loss over every held-out pair. */
    @Override
    public Map<String, Double> evaluate(Iterator<PairBatch> batches) {
        PairOutcomes total = new PairOutcomes(0, 0, 0);
        double lossSum = 0;
        while (batches.hasNext()) {
            PairBatch batch = batches.next();
            try (NDManager m = rm.languageModel().manager().newSubManager()) {
                NDArray rewards = rm.rewards(m.create(batch.ids()), m.create(batch.paddingMask())); // (N)
                float loss = RankingLoss.evaluate(rewards, batch.groupSizes(), batch.margins())
                        .getFloat();
                PairOutcomes outcomes = PairOutcomes.of(rewards.toFloatArray(), batch.groupSizes());
                lossSum += (double) loss * outcomes.pairs();
                total = total.plus(outcomes);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("eval_accuracy", total.accuracy());
        metrics.put("eval_margin", total.meanMargin());
        metrics.put("eval_loss", total.pairs() == 0 ? Double.NaN : lossSum / total.pairs());
        return metrics;
    }

    /** The rewards of a batch's rows, without gradients. */
    public float[] rewards(PairBatch batch) {
        try (NDManager m = rm.languageModel().manager().newSubManager()) {
            return rm.rewards(m.create(batch.ids()), m.create(batch.paddingMask()))
                    .toFloatArray();
        }
    }

    @Override
    public String selectionMetric() {
        return "eval_accuracy";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public void writeModel(Path dir) throws IOException {
        if (adapter.isPresent()) {
            adapter.get().writeFiles(dir, tokenizerDir);
        } else {
            HfCheckpoint.writeFiles(rm, dir, tokenizerDir, padId, save);
        }
    }
}
