package dev.rlhf.core.export;

import dev.rlhf.proto.inference.DataType;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelDynamicBatching;
import dev.rlhf.proto.inference.ModelInput;
import dev.rlhf.proto.inference.ModelInstanceGroup;
import dev.rlhf.proto.inference.ModelOutput;
import dev.rlhf.proto.inference.ModelParameter;
import dev.rlhf.proto.inference.ModelTensorReshape;

/**
 * The {@code config.pbtxt} of an exported model, built through Triton's ModelConfig schema for the onnxruntime
 * backend. With {@code max_batch_size > 0} Triton leaves the batch axis out of {@code dims}: ids are {@code [-1]}
 * (sequence), log-probs {@code [-1]} (sequence - 1), and a reward, one scalar per row, is {@code [1]} reshaped to
 * {@code []}.
 */
public final class TritonConfigs {

    /** Parameter key under which the longest sequence the model accepts is recorded. */
    public static final String MAX_SEQUENCE_LENGTH = "max_sequence_length";
    /** Parameter key naming the serving role (rm, ref, policy). */
    public static final String ROLE = "rlhf_role";

    /** How the model is served. */
    public record Serving(int maxBatchSize, boolean gpu, int instances, long maxQueueDelayMicros) {
        public Serving {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("--max-batch-size must be at least 1, got " + maxBatchSize);
            }
            if (instances < 1) {
                throw new IllegalArgumentException("--instances must be at least 1, got " + instances);
            }
        }
    }

    private TritonConfigs() {}

    public static ModelConfig of(ExportedModel model, Serving serving, int maxSequenceLength) {
        ModelConfig.Builder config = ModelConfig.newBuilder()
                .setName(model.name())
                .setBackend("onnxruntime")
                .setMaxBatchSize(serving.maxBatchSize())
                .addInstanceGroup(ModelInstanceGroup.newBuilder()
                        .setCount(serving.instances())
                        .setKind(serving.gpu() ? ModelInstanceGroup.Kind.KIND_GPU : ModelInstanceGroup.Kind.KIND_CPU))
                .setDynamicBatching(
                        ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(serving.maxQueueDelayMicros()))
                .putParameters(MAX_SEQUENCE_LENGTH, parameter(Integer.toString(maxSequenceLength)))
                .putParameters(ROLE, parameter(model.role().id()));
        for (TensorSpec input : model.inputs()) {
            config.addInput(ModelInput.newBuilder()
                    .setName(input.name())
                    .setDataType(dataType(input.type()))
                    .addDims(-1));
        }
        for (TensorSpec output : model.outputs()) {
            ModelOutput.Builder out =
                    ModelOutput.newBuilder().setName(output.name()).setDataType(dataType(output.type()));
            if (output.rank() == 1) {
                out.addDims(1).setReshape(ModelTensorReshape.newBuilder()); // one scalar per row
            } else {
                out.addDims(-1);
            }
            config.addOutput(out);
        }
        return config.build();
    }

    private static ModelParameter parameter(String value) {
        return ModelParameter.newBuilder().setStringValue(value).build();
    }

    static DataType dataType(ElementType type) {
        return switch (type) {
            case FP32 -> DataType.TYPE_FP32;
            case INT32 -> DataType.TYPE_INT32;
            case INT64 -> DataType.TYPE_INT64;
        };
    }
}
