package dev.rlhf.core.export;

import dev.rlhf.core.export.onnx.ModelProto;
import dev.rlhf.core.export.onnx.StringStringEntryProto;
import dev.rlhf.core.export.onnx.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The external-data side files an ONNX model reads its weights from, resolved as ONNX Runtime and Triton resolve
 * them: each {@code location} relative to the model file's directory. Lets a loader say which file is missing rather
 * than pass on ONNX Runtime's message.
 */
public final class ExternalDataFiles {

    private ExternalDataFiles() {}

    /** The distinct side files the initializers of {@code model} name, in the order first named. */
    public static List<Path> of(Path model) throws IOException {
        ModelProto proto;
        try (InputStream in = Files.newInputStream(model)) {
            proto = ModelProto.parseFrom(in);
        }
        Path directory = model.toAbsolutePath().getParent();
        return proto.getGraph().getInitializerList().stream()
                .filter(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
                .flatMap(t -> t.getExternalDataList().stream())
                .filter(e -> e.getKey().equals("location"))
                .map(StringStringEntryProto::getValue)
                .distinct()
                .map(directory::resolve)
                .toList();
    }

    /** The side files of {@code model} that are not regular files; empty when all are there. */
    public static List<Path> missing(Path model) throws IOException {
        return of(model).stream().filter(f -> !Files.isRegularFile(f)).toList();
    }
}
