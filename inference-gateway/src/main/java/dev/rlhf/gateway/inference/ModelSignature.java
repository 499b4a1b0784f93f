package dev.rlhf.gateway.inference;

import dev.rlhf.proto.inference.DataType;
import dev.rlhf.proto.inference.ModelConfig;
import dev.rlhf.proto.inference.ModelInput;
import dev.rlhf.proto.inference.ModelOutput;
import dev.rlhf.proto.inference.ModelParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the gateway needs of an in-process model, read from its {@code config.pbtxt} and checked once at load.
 *
 * <p>Dimension letters: B batch rows, T sequence positions. Every input is an integer (B, T) tensor ({@code dims:
 * [-1]} with {@code max_batch_size > 0}), so requests can be stacked along B and right-padded along T. An output is
 * either per position ({@code dims: [-1]}, (B, T - k): cut back to each request's own length) or fixed-size per row
 * ({@code dims: [1]} reshaped to {@code []} for a reward: (B)). That is the signature {@code ./rlhf export} writes.
 *
 * @param maxSequenceLength the {@code max_sequence_length} parameter, when given
 * @param queueDelayMicros {@code dynamic_batching.max_queue_delay_microseconds}; empty without dynamic batching
 */
public record ModelSignature(
        String name,
        int maxBatchSize,
        OptionalInt maxSequenceLength,
        List<Input> inputs,
        List<Output> outputs,
        OptionalLong queueDelayMicros) {

    /** Parameter key of the longest sequence a model accepts (written by {@code ./rlhf export}). */
    public static final String MAX_SEQUENCE_LENGTH = "max_sequence_length";

    /** An integer (B, T) input; {@code type} is TYPE_INT64 or TYPE_INT32. */
    public record Input(String name, DataType type) {}

    /** An FP32 output, (B, T - k) when {@code perPosition}, else (B, fixed dims...). */
    public record Output(String name, boolean perPosition) {}

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * @param source the file the config came from, for error messages
     * @throws ModelLoadException naming the file and tensor when the model does not have this signature
     */
    public static ModelSignature of(ModelConfig config, String name, String source) {
        if (config.getMaxBatchSize() < 1) {
            throw new ModelLoadException(source + ": max_batch_size " + config.getMaxBatchSize()
                    + ": the gateway serves batching models only (max_batch_size >= 1, inputs [batch, sequence])");
        }
        List<Input> inputs = new ArrayList<>();
        for (ModelInput in : config.getInputList()) {
            boolean integer = in.getDataType() == DataType.TYPE_INT64 || in.getDataType() == DataType.TYPE_INT32;
            if (!integer || !in.getDimsList().equals(List.of(-1L))) {
                throw new ModelLoadException(source + ": input '" + in.getName() + "' is " + in.getDataType()
                        + " " + in.getDimsList() + "; the gateway serves integer [batch, sequence] inputs "
                        + "(TYPE_INT64 or TYPE_INT32, dims [-1])");
            }
            inputs.add(new Input(in.getName(), in.getDataType()));
        }
        List<Output> outputs = new ArrayList<>();
        for (ModelOutput out : config.getOutputList()) {
            boolean perPosition = out.getDimsList().equals(List.of(-1L));
            boolean fixed =
                    !out.getDimsList().isEmpty() && out.getDimsList().stream().allMatch(d -> d >= 1);
            if (out.getDataType() != DataType.TYPE_FP32 || !(perPosition || fixed)) {
                throw new ModelLoadException(source + ": output '" + out.getName() + "' is " + out.getDataType()
                        + " " + out.getDimsList() + "; the gateway serves TYPE_FP32 outputs with dims [-1] "
                        + "(per position) or fixed dims (per row)");
            }
            outputs.add(new Output(out.getName(), perPosition));
        }
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new ModelLoadException(
                    source + ": the config declares no " + (inputs.isEmpty() ? "input" : "output"));
        }
        OptionalLong delay = config.hasDynamicBatching()
                ? OptionalLong.of(config.getDynamicBatching().getMaxQueueDelayMicroseconds())
                : OptionalLong.empty();
        return new ModelSignature(
                name, config.getMaxBatchSize(), maxSequenceLength(config, source), inputs, outputs, delay);
    }

    /** The {@code max_sequence_length} parameter of {@code config}; {@code source} names it in errors. */
    public static OptionalInt maxSequenceLength(ModelConfig config, String source) {
        ModelParameter parameter = config.getParametersMap().get(MAX_SEQUENCE_LENGTH);
        if (parameter == null) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(parameter.getStringValue().trim());
            if (value < 1) {
                throw new NumberFormatException("not positive");
            }
            return OptionalInt.of(value);
        } catch (NumberFormatException e) {
            throw new ModelLoadException(source + ": parameter " + MAX_SEQUENCE_LENGTH
                    + " must be a positive integer, got '" + parameter.getStringValue() + "'");
        }
    }

    public Optional<Input> input(String inputName) {
        return inputs.stream().filter(i -> i.name().equals(inputName)).findFirst();
    }

    public Optional<Output> output(String outputName) {
        return outputs.stream().filter(o -> o.name().equals(outputName)).findFirst();
    }

    public List<String> inputNames() {
        return inputs.stream().map(Input::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(Output::name).toList();
    }
}
