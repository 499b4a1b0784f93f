package dev.rlhf.proto.client;

import dev.rlhf.proto.inference.InferTensorContents;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelInferResponse.InferOutputTensor;

/** Reads output tensors out of a v2 {@link ModelInferResponse}, whether the server sent raw or typed contents. */
public final class InferResponses {
    private InferResponses() {}

    /** Finds output {@code name} in {@code response} and decodes it as FP32, raw or typed. */
    public static FloatTensor fp32(ModelInferResponse response, String name) {
        for (int i = 0; i < response.getOutputsCount(); i++) {
            InferOutputTensor tensor = response.getOutputs(i);
            if (!tensor.getName().equals(name)) {
                continue;
            }
            if (!tensor.getDatatype().equals("FP32")) {
                throw new IllegalArgumentException(
                        "output '" + name + "' has datatype " + tensor.getDatatype() + ", expected FP32");
            }
            long[] shape =
                    tensor.getShapeList().stream().mapToLong(Long::longValue).toArray();
            try {
                float[] data = i < response.getRawOutputContentsCount()
                        ? RawTensors.toFp32(response.getRawOutputContents(i))
                        : typedFp32(tensor.getContents());
                return new FloatTensor(shape, data);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("output '" + name + "': " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("no output '" + name + "' in the response (outputs: "
                + response.getOutputsList().stream()
                        .map(InferOutputTensor::getName)
                        .toList() + ")");
    }

    private static float[] typedFp32(InferTensorContents contents) {
        float[] out = new float[contents.getFp32ContentsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = contents.getFp32Contents(i);
        }
        return out;
    }
}
