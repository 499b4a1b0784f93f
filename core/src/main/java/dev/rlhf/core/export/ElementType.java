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
}
