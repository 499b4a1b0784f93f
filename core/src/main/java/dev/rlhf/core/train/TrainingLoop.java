package dev.rlhf.core.train;

import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.checkpoint.AtomicDirectory;
import dev.rlhf.core.config.TrainConfig;
import dev.rlhf.core.data.DatasetStats;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.runs.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The step loop every trainer runs: micro-batches accumulated into optimizer steps, warmup + decay schedule, global
 * norm clipping, AdamW; metrics every {@code log_every} steps; evaluation, {@code checkpoints/best} and
 * {@code checkpoints/last} on schedule and at epoch ends; a step whose gradients overflow (non-finite norm) is dropped
 * before it reaches the weights; stop on a NaN loss, on {@code max_steps}, or when cancelled (checked before every micro-batch, so a
 * cancel waits for one micro-batch, not a whole accumulated step; the unfinished step is dropped and {@code last}
 * holds the one before). Resuming from a saved {@link TrainingState} continues the same batches
 * and schedule.
 */
public final class TrainingLoop<B> {

    private final TrainingTask<B> task;
    private final EpochBatches<B> train;
    private final Supplier<Iterator<B>> eval;
    private final TrainConfig config;
    private final RunDirectory run;
    private final JsonNode resolvedConfig;
    private final JobContext context;
    private final Map<String, Parameter> parameters;
    private final LrSchedule schedule;
    private final long totalSteps;

    public TrainingLoop(
            TrainingTask<B> task,
            EpochBatches<B> train,
            Supplier<Iterator<B>> eval,
            TrainConfig config,
            RunDirectory run,
            JsonNode resolvedConfig,
            JobContext context) {
        this.task = task;
        this.train = train;
        this.eval = eval;
        this.config = config;
        this.run = run;
        this.resolvedConfig = resolvedConfig;
        this.context = context;
        this.parameters = task.parameters();
        this.totalSteps = totalSteps();
        this.schedule = new LrSchedule(
                config.schedule(),
                config.lr(),
                config.warmupSteps(),
                (int) Math.max(1, totalSteps),
                config.minLrRatio());
    }

    /** Optimizer steps in the whole run: every epoch's batches grouped by {@code grad_accum}, capped by max_steps. */
    public long totalSteps() {
        long steps = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            steps += (train.count(epoch) + config.gradAccum() - 1) / config.gradAccum();
        }
        return config.maxSteps().isPresent() ? Math.min(config.maxSteps().get(), steps) : steps;
    }

    /**
     * Puts the dataset lines that {@code skip_bad_lines} skipped on record, when there were any: as
     * {@code data/skipped_lines} in {@code metrics.jsonl} and the job's series (so the API and the dashboard show it),
     * at the step the run starts from.
     */
    public void reportSkippedLines(DatasetStats stats, long step) {
        int skipped = stats.total().skippedLines();
        if (skipped == 0) {
            return;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("step", step);
        record.put("data/skipped_lines", skipped);
        run.metrics().append(record);
        context.report(step, totalSteps, record);
    }

    /** Trains from {@code start} (fresh or restored, with {@code optimizerState} as saved) to the end. */
    public TrainingState run(TrainingState start, Path optimizerState) throws Exception {
        AdamW.Settings settings = new AdamW.Settings(
                (float) config.adamBeta1(), (float) config.adamBeta2(), (float) config.adamEps(), (float)
                        config.weightDecay());
        try (AdamW adam = new AdamW(
                settings, parameters.values().iterator().next().getArray().getManager())) {
            if (optimizerState != null) {
                adam.load(optimizerState);
            }
            return new Run(adam, start).all();
        }
    }

    /** The mutable state of one run of the loop. */
    private final class Run {
        private final AdamW adam;
        private final StepMetrics window = new StepMetrics();
        private TrainingState state;
        private long evaluatedAt = -1;
        private long savedAt = -1;
        private Map<String, Double> lastEval = Map.of();

        Run(AdamW adam, TrainingState start) {
            this.adam = adam;
            this.state = start;
        }

        TrainingState all() throws Exception {
            if (state.step() == 0) {
                evaluate(); // the starting point of the eval curve
            }
            while (state.epoch() < config.epochs() && state.step() < totalSteps && !context.cancelled()) {
                epoch();
            }
            if (!context.cancelled() && evaluatedAt != state.step()) {
                evaluate();
            }
            if (savedAt != state.step()) {
                saveLast();
            }
            if (!context.cancelled()) {
                run.markFinished(state.step());
            }
            return state;
        }

        /** Trains through the rest of the current epoch; at its end, evaluates, logs the epoch and saves. */
        private void epoch() throws Exception {
            int epoch = state.epoch();
            int consumed = state.batchInEpoch();
            Iterator<B> batches = train.from(epoch, consumed);
            while (batches.hasNext() && state.step() < totalSteps && !context.cancelled()) {
                List<B> group = new ArrayList<>(config.gradAccum());
                while (group.size() < config.gradAccum() && batches.hasNext()) {
                    group.add(batches.next());
                }
                consumed += group.size();
                if (!step(group, epoch, consumed)) {
                    break; // cancelled between micro-batches: the step is dropped, last/ keeps the one before
                }
                onSchedule();
            }
            if (!batches.hasNext() && !context.cancelled()) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("epoch", epoch);
                summary.put("step", state.step());
                summary.put("train_loss", window.epochLoss());
                summary.putAll(evaluatedAt == state.step() ? lastEval : evaluate());
                run.epochLog().append(summary);
                state = state.nextEpoch();
                saveLast();
            }
        }

        /** One optimizer step over {@code group}; false when cancelled between its micro-batches (nothing applied). */
        private boolean step(List<B> group, int epoch, int consumed) {
            long start = System.nanoTime();
            double loss = 0;
            long count = 0;
            Map<String, Double> extra = new LinkedHashMap<>();
            for (B batch : group) {
                if (context.cancelled()) {
                    GradientClipping.zero(parameters.values());
                    return false;
                }
                TrainingTask.MicroStep micro = task.backward(batch, 1f / group.size());
                loss += micro.loss() / group.size();
                count += micro.count();
                micro.extra().forEach((k, v) -> extra.merge(k, v / group.size(), Double::sum));
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("loss is " + loss + " at step " + (state.step() + 1)
                        + "; stopped, checkpoints/last holds the last good state");
            }
            double lr = schedule.lr(state.step());
            double gradNorm = OptimizerStep.take(
                            List.of(new OptimizerStep.Group(parameters, adam, lr)), config.maxGradNorm())
                    .gradNorms()[0];
            double seconds = (System.nanoTime() - start) / 1e9;
            state = state.afterStep(epoch, consumed, count, seconds);
            window.add(loss, count, seconds, lr, gradNorm, extra);
            return true;
        }

        private void onSchedule() throws Exception {
            long step = state.step();
            if (step % config.logEvery() == 0 || step == totalSteps) {
                log(window.drain());
            }
            if (config.evalEvery() > 0 && step % config.evalEvery() == 0) {
                evaluate();
            }
            if ((config.saveEvery() > 0 && step % config.saveEvery() == 0) || context.cancelled()) {
                saveLast();
            }
        }

        private void log(Map<String, Object> metrics) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("step", state.step());
            record.put("epoch", state.epoch());
            record.putAll(metrics);
            record.put("elapsed_s", state.elapsedSeconds());
            run.metrics().append(record);
            context.report(state.step(), totalSteps, record);
        }

        private Map<String, Double> evaluate() throws Exception {
            Iterator<B> batches = eval.get();
            if (!batches.hasNext()) {
                return Map.of();
            }
            Map<String, Double> metrics;
            try (NoGrad noGrad = NoGrad.open()) { // no graph: each layer's intermediates go as it ends
                metrics = task.evaluate(batches);
            }
            evaluatedAt = state.step();
            lastEval = metrics;
            double value = metrics.get(task.selectionMetric());
            log(new LinkedHashMap<>(metrics));
            if (improves(value)) {
                state = state.withBest(value);
                save(run.bestCheckpoint());
            }
            task.afterEvaluation(state.step());
            return metrics;
        }

        private boolean improves(double value) {
            if (Double.isNaN(state.best())) {
                return true;
            }
            return task.higherIsBetter() ? value > state.best() : value < state.best();
        }

        private void saveLast() {
            save(run.lastCheckpoint());
            savedAt = state.step();
        }

        private void save(Path dir) {
            AtomicDirectory.write(dir, tmp -> {
                task.writeModel(tmp);
                state.write(tmp, resolvedConfig);
                adam.save(tmp.resolve(TrainingState.OPTIMIZER_FILE));
            });
        }
    }
}
