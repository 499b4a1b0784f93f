package dev.rlhf.core.checkpoint;

import ai.djl.ndarray.types.DataType;
import java.util.Optional;

/**
 * Element types of the safetensors format, under the names used in the {@code dtype} field of the header.
 *
 * <p>Only the types that PyTorch checkpoints of language models actually use are listed; the format also defines
 * {@code U16}, {@code U32}, {@code U64} and the FP8 variants, which are reported as unknown.
 */
public enum SafetensorsDtype {
    F64(8, DataType.FLOAT64),
    F32(4, DataType.FLOAT32),
    F16(2, DataType.FLOAT16),
    BF16(2, DataType.BFLOAT16),
    I64(8, DataType.INT64),
    I32(4, DataType.INT32),
    I16(2, DataType.INT16),
    I8(1, DataType.INT8),
    U8(1, DataType.UINT8),
    BOOL(1, DataType.BOOLEAN);

    private final int byteSize;
    private final DataType djlType;

    SafetensorsDtype(int byteSize, DataType djlType) {
        this.byteSize = byteSize;
        this.djlType = djlType;
    }

    /** Bytes taken by one element. */
    public int byteSize() {
        return byteSize;
    }

    /** The DJL type that holds this type without loss. */
    public DataType djlType() {
        return djlType;
    }

    /** True for the types that {@link SafetensorsReader#readFloats} converts to {@code float}. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type spelled {@code name} in a header (case-sensitive, as in the format), or empty if unknown. */
    public static Optional<SafetensorsDtype> fromHeaderName(String name) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }
}
