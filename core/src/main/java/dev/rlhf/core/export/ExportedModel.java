package dev.rlhf.core.export;

import java.nio.file.Path;
import java.util.List;

/**
 * What an export wrote: the ONNX file and the signature a serving config must declare.
 *
 * @param file {@code <repository>/<name>/<version>/model.onnx}
 * @param inputs the graph inputs, in order
 * @param outputs the graph outputs, in order
 */
public record ExportedModel(
        String name, int version, ServingRole role, Path file, List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public ExportedModel {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
