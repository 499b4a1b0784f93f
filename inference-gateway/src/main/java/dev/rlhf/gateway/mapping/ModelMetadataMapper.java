package dev.rlhf.gateway.mapping;

import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInput;
import dev.rlhf.proto.inference.ModelMetadataResponse;
import dev.rlhf.proto.inference.ModelMetadataResponse.TensorMetadata;
import dev.rlhf.proto.inference.ModelOutput;
import dev.rlhf.proto.triton.TritonDataTypes;
import java.util.List;

/**
 * A model's v2 metadata from its configuration, as Triton derives it: datatype strings ("INT64", "FP32") and the
 * configured {@code dims} with -1 for the batch axis in front when {@code max_batch_size > 0}. Like Triton, it shows
 * {@code dims}, not {@code reshape}: a reward ({@code dims: [1]}, reshaped to {@code []}) is listed as [-1, 1] while
 * responses carry it as [B].
 */
public final class ModelMetadataMapper {
    private ModelMetadataMapper() {}

    /** The platform Triton reports for models of the onnxruntime backend. */
    public static final String ONNX_PLATFORM = "onnxruntime_onnx";

    public static ModelMetadataResponse of(String name, String version, ModelConfig config) {
        ModelMetadataResponse.Builder metadata = ModelMetadataResponse.newBuilder()
                .setName(name)
                .addVersions(version)
                .setPlatform(config.getPlatform().isEmpty() ? ONNX_PLATFORM : config.getPlatform());
        boolean batched = config.getMaxBatchSize() > 0;
        for (ModelInput input : config.getInputList()) {
            metadata.addInputs(tensor(
                    input.getName(), TritonDataTypes.toProtocol(input.getDataType()), input.getDimsList(), batched));
        }
        for (ModelOutput output : config.getOutputList()) {
            metadata.addOutputs(tensor(
                    output.getName(), TritonDataTypes.toProtocol(output.getDataType()), output.getDimsList(), batched));
        }
        return metadata.build();
    }

    private static TensorMetadata tensor(String name, String datatype, List<Long> dims, boolean batched) {
        TensorMetadata.Builder tensor =
                TensorMetadata.newBuilder().setName(name).setDatatype(datatype);
        if (batched) {
            tensor.addShape(-1);
        }
        return tensor.addAllShape(dims).build();
    }
}
