package dev.rlhf.core.config;

import dev.rlhf.core.checkpoint.SaveOptions;
import dev.rlhf.core.checkpoint.ShardSize;
import java.util.Optional;

/**
 * How a job writes its models' weights (the {@code save} section): every checkpoint it saves, {@code last} and
 * {@code best}, so a run resumed from a bf16 checkpoint continues from the rounded weights.
 *
 * @param dtype f32 or bf16
 * @param maxShardSize transformers' {@code max_shard_size} ({@link ShardSize}): weights above it are split into
 *     {@code model-0000N-of-0000M.safetensors} with {@code model.safetensors.index.json}
 */
public record SaveConfig(SaveDtype dtype, String maxShardSize) {
    public SaveConfig {
        try {
            ShardSize.parse(maxShardSize);
        } catch (IllegalArgumentException e) {
            throw new ConfigValueException("max_shard_size", e.getMessage());
        }
    }

    /** What {@code HfCheckpoint} is told. */
    public SaveOptions options() {
        return new SaveOptions(dtype.safetensors(), ShardSize.parse(maxShardSize));
    }

    /**
     * A LoRA run saves PEFT adapters, not the model: a {@code save} section other than the defaults would do nothing
     * there, so it is refused.
     */
    public static void requireCompatible(SaveConfig save, Optional<LoraConfig> lora) {
        ConfigValueException.require(
                lora.isEmpty() || save.options().equals(SaveOptions.DEFAULT),
                "save",
                "a LoRA run saves PEFT adapters in float32, whole; save.dtype and save.max_shard_size apply to full "
                        + "models (merge the adapter with ./rlhf merge --dtype/--max-shard-size)");
    }
}
