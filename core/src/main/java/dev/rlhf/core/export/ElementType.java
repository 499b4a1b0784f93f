package dev.rlhf.core.export;

import dev.rlhf.core.export.onnx.TensorProto;

/** Element types of the exported models' inputs and outputs, named as serving configs spell them. */
public enum ElementType {
    FP32(TensorProto.DataType.FLOAT),
    INT32(TensorProto.DataType.INT32),
    INT64(TensorProto.DataType.INT64);

    private final TensorProto.DataType onnxType;

    ElementType(TensorProto.DataType onnxType) {
        this.onnxType = onnxType;
    }

    /** The ONNX {@code TensorProto.DataType} this type is written as. */
    public TensorProto.DataType onnxType() {
        return onnxType;
    }

    /** The type of token ids: {@code int64} or {@code int32}. */
    public static ElementType parseIds(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "int64" -> INT64;
            case "int32" -> INT32;
            default -> throw new IllegalArgumentException("--ids-type: expected int64 or int32, got '" + text + "'");
        };
    }
}
