package dev.rlhf.core.export;

import java.nio.file.Path;
import java.util.List;

/**
 * What an export wrote: the ONNX file and the signature a serving config must declare.
 *
 * @param file {@code <repository>/<name>/<version>/model.onnx}
 * @param dataFile the external-data side file {@code model.onnx.data} beside it, or {@code null} when the weights are
 *     inside {@code model.onnx}
 * @param inputs the graph inputs, in order
 * @param outputs the graph outputs, in order
 */
public record ExportedModel(
        String name,
        int version,
        ServingRole role,
        Path file,
        Path dataFile,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs) {

    public ExportedModel {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
