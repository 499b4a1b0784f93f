package dev.rlhf.proto.client;

import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelInferRequest.InferInputTensor;
import dev.rlhf.proto.inference.ModelInferRequest.InferRequestedOutputTensor;
import java.util.Map;

/** Builds v2 {@link ModelInferRequest}s from Java arrays, with tensor data as raw contents. */
public final class InferRequests {
    private InferRequests() {}

    /**
     * A request running {@code model} on INT64 matrices, each sent with shape {@code [rows, columns]} as little-endian
     * {@code raw_input_contents}, asking for one output. Rows of a matrix must be of equal length.
     */
    public static ModelInferRequest int64(String model, Map<String, long[][]> int64Inputs, String output) {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
        int64Inputs.forEach((name, rows) -> {
            long columns = rows.length == 0 ? 0 : rows[0].length;
            request.addInputs(InferInputTensor.newBuilder()
                    .setName(name)
                    .setDatatype("INT64")
                    .addShape(rows.length)
                    .addShape(columns));
            // raw_input_contents pairs with inputs by position, so both are appended together
            request.addRawInputContents(RawTensors.int64(name, rows));
        });
        return request.addOutputs(InferRequestedOutputTensor.newBuilder().setName(output))
                .build();
    }
}
