package dev.rlhf.core.sft;

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
 * A supervised fine-tuning or pretraining job. Every key's default is in {@code configs/sft/defaults.yaml} on the
 * classpath; see there for units and comments.
 *
 * @param seqLen the longest example in tokens; longer ones are truncated (SFT) or cut into blocks (pretraining)
 * @param packing pack several examples into each row of {@code seq_len} tokens
 * @param lora train LoRA adapters on the frozen {@code model.path} instead of the whole model; absent: full fine-tuning
 * @param save how checkpoints' weights are written
 * @param run where the run lives and whether it continues one (top-level keys)
 */
public record SftConfig(
        ModelConfig model,
        Optional<LoraConfig> lora,
        DataConfig data,
        SftMode mode,
        int seqLen,
        boolean packing,
        TrainConfig train,
        SaveConfig save,
        @Unwrapped RunHeader run,
        SamplesConfig samples)
        implements JobConfig {
    /** The classpath resource holding every default. */
    public static final String DEFAULTS = "configs/sft/defaults.yaml";

    public SftConfig {
        ConfigValueException.require(seqLen >= 2, "seq_len", "must be >= 2, got " + seqLen);
        LoraConfig.requireCompatible(lora, model);
        SaveConfig.requireCompatible(save, lora);
    }

    /** A loader that starts from the SFT defaults. */
    public static ConfigLoader loader() {
        return new ConfigLoader(DEFAULTS);
    }
}
