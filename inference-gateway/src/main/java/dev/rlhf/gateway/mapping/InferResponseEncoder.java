package dev.rlhf.gateway.mapping;

import dev.rlhf.gateway.inference.InferCall;
import dev.rlhf.gateway.inference.OutputTensor;
import dev.rlhf.proto.client.RawTensors;
import dev.rlhf.proto.inference.ModelInferResponse;
import dev.rlhf.proto.inference.ModelInferResponse.InferOutputTensor;
import java.util.List;

/** Outputs of an in-process execution as a v2 ModelInferResponse: FP32 little-endian raw contents, as Triton sends. */
public final class InferResponseEncoder {
    private InferResponseEncoder() {}

    public static ModelInferResponse encode(String model, String version, InferCall call, List<OutputTensor> outputs) {
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
                .setModelName(model)
                .setModelVersion(version)
                .setId(call.id());
        for (OutputTensor output : outputs) {
            InferOutputTensor.Builder tensor =
                    InferOutputTensor.newBuilder().setName(output.name()).setDatatype("FP32");
            for (long dim : output.shape()) {
                tensor.addShape(dim);
            }
            // raw_output_contents pairs with outputs by position
            response.addOutputs(tensor).addRawOutputContents(RawTensors.fp32(output.data()));
        }
        return response.build();
    }
}
