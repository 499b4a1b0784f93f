package dev.rlhf.core.checkpoint;

import java.util.Objects;

/**
 * How {@link HfCheckpoint} stores weights: their element type and the largest shard.
 *
 * @param dtype {@link SafetensorsDtype#F32} or {@link SafetensorsDtype#BF16} (rounded to nearest even); also written
 *     as {@code torch_dtype} in {@code config.json}
 * @param maxShardBytes weights above this many bytes are split into {@code model-0000N-of-0000M.safetensors} listed
 *     in {@code model.safetensors.index.json}; transformers' default is 5 GB (5 * 10^9 bytes)
 */
public record SaveOptions(SafetensorsDtype dtype, long maxShardBytes) {

    /** transformers' {@code max_shard_size="5GB"}. */
    public static final long HF_MAX_SHARD_BYTES = 5_000_000_000L;

    /** Float32 in shards of at most 5 GB. */
    public static final SaveOptions DEFAULT = new SaveOptions(SafetensorsDtype.F32, HF_MAX_SHARD_BYTES);

    public SaveOptions {
        Objects.requireNonNull(dtype, "dtype");
        if (dtype != SafetensorsDtype.F32 && dtype != SafetensorsDtype.BF16) {
            throw new IllegalArgumentException("save dtype must be F32 or BF16, got " + dtype);
        }
        if (maxShardBytes < 1) {
            throw new IllegalArgumentException("max shard size must be positive, got " + maxShardBytes);
        }
    }

    public SaveOptions withDtype(SafetensorsDtype newDtype) {
        return new SaveOptions(newDtype, maxShardBytes);
    }

    public SaveOptions withMaxShardBytes(long bytes) {
        return new SaveOptions(dtype, bytes);
    }

    /** The {@code torch_dtype} of {@code config.json}: {@code float32} or {@code bfloat16}. */
    public String torchDtype() {
        return dtype == SafetensorsDtype.BF16 ? "bfloat16" : "float32";
    }
}
