package dev.rlhf.core.export;

import dev.rlhf.core.checkpoint.HalfPrecision;
import dev.rlhf.core.export.onnx.TensorProto;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * How the exported weights are stored. {@link #F16} halves the files (for GPU serving); the graph casts each weight
 * back to float32 once, so inputs, outputs and the arithmetic stay float32 and {@code config.pbtxt} is unchanged.
 */
public enum WeightType {
    F32(TensorProto.DataType.FLOAT, Float.BYTES),
    F16(TensorProto.DataType.FLOAT16, Short.BYTES);

    private final TensorProto.DataType onnxType;
    private final int bytes;

    WeightType(TensorProto.DataType onnxType, int bytes) {
        this.onnxType = onnxType;
        this.bytes = bytes;
    }

    public TensorProto.DataType onnxType() {
        return onnxType;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Appends {@code value} in this type to {@code out} (whose byte order the caller sets: little-endian for ONNX). */
    void put(ByteBuffer out, float value) {
        if (this == F16) {
            out.putShort(HalfPrecision.floatToF16(value));
        } else {
            out.putFloat(value);
        }
    }

    /** {@code f32} or {@code f16}, as the CLI's {@code --dtype} spells them. */
    public static WeightType parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "f32", "float32", "fp32" -> F32;
            case "f16", "float16", "fp16" -> F16;
            default -> throw new IllegalArgumentException("--dtype: expected f32 or f16, got '" + text + "'");
        };
    }
}
