package dev.rlhf.core.train;

import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.LoraConfig;
import dev.rlhf.core.config.ModelConfig;
import dev.rlhf.core.config.TrainConfig;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraModel.TaskType;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.runs.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The LoRA adapter a training job trains on its frozen base ({@code model.path}), and where it comes from: the
 * checkpoint being resumed (adapter and, through the loop, its AdamW state), else {@code model.adapter} (an adapter
 * trained elsewhere, continued), else a fresh one from the {@code lora} section, seeded by {@code train.seed}. Its
 * checkpoints hold the adapter in PEFT's layout and the tokenizer, never a copy of the base.
 *
 * @param lora the adapters, attached to the loaded base
 * @param base written as {@code base_model_name_or_path}: the model directory the job names
 */
public record JobAdapter(LoraModel lora, Path base) {

    private static final Logger LOG = Logger.getLogger(JobAdapter.class.getName());

    /** Whether a job with these sections trains an adapter rather than the whole model. */
    public static boolean wanted(Optional<LoraConfig> lora, ModelConfig model) {
        return lora.isPresent() || model.adapter().isPresent();
    }

    /** The adapter's settings before anything is loaded: the {@code lora} section's, or {@code model.adapter}'s. */
    public static LoraSettings settings(Optional<LoraConfig> lora, ModelConfig model) {
        return lora.map(LoraConfig::settings)
                .orElseGet(() ->
                        PeftAdapter.readConfig(model.adapter().orElseThrow()).settings());
    }

    /** {@code model.adapter}, when given, is an adapter of the kind the job trains; the error names the key. */
    public static void check(ModelConfig model, TaskType expected) {
        check(model.adapter(), "model.adapter", expected);
    }

    /** The adapter directory {@code key} names, when given, holds a PEFT adapter of {@code expected}'s task type. */
    public static void check(Optional<Path> adapter, String key, TaskType expected) {
        if (adapter.isEmpty()) {
            return;
        }
        Path dir = adapter.get();
        if (!Files.isRegularFile(dir.resolve(AdapterConfig.FILE))) {
            throw new ConfigException(key + ": no " + AdapterConfig.FILE + " in " + dir);
        }
        try {
            TaskType found = PeftAdapter.readConfig(dir).taskType();
            if (found != expected) {
                throw new ConfigException(key + ": task_type " + found + " in " + dir
                        + " does not fit this job, which needs " + expected);
            }
        } catch (CheckpointException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gradient checkpointing recomputes each layer's forward, which must draw the same dropout masks as the first: a
     * LoRA adapter with dropout (from {@code lora} or {@code model.adapter}'s config) is refused, naming the key.
     */
    public static void checkCheckpointing(Optional<LoraConfig> lora, ModelConfig model, TrainConfig train) {
        if (!train.gradientCheckpointing() || !wanted(lora, model)) {
            return;
        }
        double dropout = settings(lora, model).dropout();
        if (dropout > 0) {
            throw new ConfigException("train.gradient_checkpointing: needs LoRA dropout 0, the adapter's is " + dropout
                    + " (the recomputed forward would draw other dropout masks); set lora.dropout: 0 or turn it off");
        }
    }

    /** The adapter on a causal LM loaded from {@code model.path}. */
    public static JobAdapter attach(
            LanguageModel lm, Optional<LoraConfig> lora, ModelConfig model, Optional<Path> resumeFrom, long seed) {
        return attach(lm, lora, model.path().orElseThrow(), resumeFrom.or(model::adapter), seed);
    }

    /**
     * The adapter on a causal LM loaded from {@code base}: the one saved in {@code saved} when given (a checkpoint
     * being resumed, or an adapter to continue), else a fresh one from {@code lora}, seeded by {@code seed}.
     */
    public static JobAdapter attach(
            LanguageModel lm, Optional<LoraConfig> lora, Path base, Optional<Path> saved, long seed) {
        LoraModel adapters = saved.isPresent()
                ? PeftAdapter.load(lm, saved.get())
                : LoraModel.attach(lm, lora.orElseThrow().settings(), seed);
        return new JobAdapter(adapters, base);
    }

    /** The adapter (and score head) on a reward model built from {@code model.path}. */
    public static JobAdapter attach(
            RewardModel rm, Optional<LoraConfig> lora, ModelConfig model, Optional<Path> resumeFrom, long seed) {
        return attach(rm, lora, model.path().orElseThrow(), resumeFrom.or(model::adapter), seed);
    }

    /**
     * The adapter (and score head) on a reward model built from {@code base}: the one saved in {@code saved} when
     * given, else a fresh one from {@code lora}, seeded by {@code seed}.
     */
    public static JobAdapter attach(
            RewardModel rm, Optional<LoraConfig> lora, Path base, Optional<Path> saved, long seed) {
        LoraModel adapters = saved.isPresent()
                ? PeftAdapter.load(rm, saved.get())
                : LoraModel.attach(rm, lora.orElseThrow().settings(), seed);
        return new JobAdapter(adapters, base);
    }

    /** The adapter alone, in PEFT's layout, written atomically (what a PPO policy version sends to its workers). */
    public void save(Path dir) {
        PeftAdapter.save(lora, dir, base.toString());
    }

    /** What a checkpoint of the job holds: the adapter in PEFT's layout and the tokenizer. */
    public void writeFiles(Path dir, Path tokenizerDir) throws IOException {
        PeftAdapter.writeFiles(lora, dir, base.toString());
        HfCheckpoint.copyTokenizer(tokenizerDir, dir);
    }

    /**
     * Puts PEFT's "trainable params: N || all params: M || trainable%: x" on record once as the job starts: in the
     * log, and as {@code model/trainable_params} and {@code model/all_params} in {@code metrics.jsonl} and the job's
     * series.
     */
    public void report(RunDirectory run, JobContext context, long step, long totalSteps) {
        LOG.info(run.path() + ": " + lora.describe());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("step", step);
        record.put("model/trainable_params", lora.trainableParameterCount());
        record.put("model/all_params", lora.totalParameterCount());
        run.metrics().append(record);
        context.report(step, totalSteps, record);
    }
}
