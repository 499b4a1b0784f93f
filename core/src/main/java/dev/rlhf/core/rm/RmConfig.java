package dev.rlhf.core.rm;

import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.ConfigValueException;
import dev.rlhf.core.config.DataConfig;
import dev.rlhf.core.config.JobConfig;
import dev.rlhf.core.config.LoraConfig;
import dev.rlhf.core.config.ModelConfig;
import dev.rlhf.core.config.RunHeader;
import dev.rlhf.core.config.SaveConfig;
import dev.rlhf.core.config.TrainConfig;
import dev.rlhf.core.config.Unwrapped;
import java.util.Optional;

/**
 * A reward-model job. Every key's default is in {@code configs/rm/defaults.yaml} on the classpath; see there for units
 * and comments. The {@code model}, {@code data} and {@code train} sections are those of SFT; {@code train.batch_size}
 * counts examples (pairs, or ranked groups), each a forward row per reply.
 *
 * @param model the backbone: an SFT checkpoint or any HF causal LM (a new score head is put on it, seeded by
 *     {@code train.seed}), a reward-model directory (training continues), or {@code init} + {@code tokenizer}
 * @param lora train LoRA adapters on the frozen {@code model.path} (and the score head, PEFT's {@code
 *     modules_to_save}) instead of the whole model; absent: full fine-tuning
 * @param seqLen the longest (prompt, reply) sequence in tokens; longer ones keep their last {@code seq_len} tokens
 * @param marginColumn a number field of every row: the margin its pairs must clear, {@code -log sigmoid(r_c - r_r -
 *     margin)}; absent for none
 * @param rewardStatsSamples how many training prompts are scored for {@code reward_stats.json}; absent for all
 * @param save how checkpoints' weights are written
 * @param outputDir where run directories are made: {@code <output_dir>/<project>/<exp>-<config names>}
 * @param project groups runs; becomes {@code <project>-debug} when {@code debug} is true
 * @param exp the experiment name, the first part of the run directory name
 * @param tags free labels, stored with the run's {@code config.yaml}
 * @param debug a quick run that lands in the {@code -debug} project
 */
public record RmConfig(
        ModelConfig model,
        Optional<LoraConfig> lora,
        DataConfig data,
        int seqLen,
        Optional<String> marginColumn,
        Optional<Integer> rewardStatsSamples,
        TrainConfig train,
        SaveConfig save,
        @Unwrapped RunHeader run)
        implements JobConfig {
    /** The classpath resource holding every default. */
    public static final String DEFAULTS = "configs/rm/defaults.yaml";

    public RmConfig {
        ConfigValueException.require(seqLen >= 2, "seq_len", "must be >= 2, got " + seqLen);
        LoraConfig.requireCompatible(lora, model);
        SaveConfig.requireCompatible(save, lora);
        marginColumn.ifPresent(c -> ConfigValueException.require(!c.isBlank(), "margin_column", "must not be empty"));
        rewardStatsSamples.ifPresent(n -> ConfigValueException.positive("reward_stats_samples", n));
    }

    /** A loader that starts from the reward-model defaults. */
    public static ConfigLoader loader() {
        return new ConfigLoader(DEFAULTS);
    }
}
