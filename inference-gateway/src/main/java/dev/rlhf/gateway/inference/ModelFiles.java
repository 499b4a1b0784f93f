package dev.rlhf.gateway.inference;

import dev.rlhf.proto.triton.TritonModelConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where one model of a Triton repository lies: {@code REPO/NAME/config.pbtxt} and {@code REPO/NAME/VERSION/model.onnx},
 * VERSION the highest numeric directory that holds a {@code model.onnx} (Triton's default policy, latest 1).
 */
public record ModelFiles(String name, Path dir, Path config, int version, Path onnx) {

    /** The ONNX file name Triton's onnxruntime backend looks for. */
    public static final String ONNX = "model.onnx";

    /** Every model directory under {@code repo} (those with a {@code config.pbtxt}), sorted by name. */
    public static List<ModelFiles> scan(Path repo) {
        if (!Files.isDirectory(repo)) {
            throw new ModelLoadException(repo + ": gateway.repo is not a directory");
        }
        try (Stream<Path> children = Files.list(repo)) {
            return children.filter(dir -> Files.isRegularFile(dir.resolve(TritonModelConfigs.FILE_NAME)))
                    .sorted()
                    .map(ModelFiles::of)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(repo + ": cannot list the model repository", e);
        }
    }

    /** The files of the model in {@code dir}. */
    public static ModelFiles of(Path dir) {
        Path config = dir.resolve(TritonModelConfigs.FILE_NAME);
        Optional<Integer> version;
        try (Stream<Path> children = Files.list(dir)) {
            version = children.filter(v -> v.getFileName().toString().matches("[0-9]{1,9}"))
                    .filter(v -> Files.isRegularFile(v.resolve(ONNX)))
                    .map(v -> Integer.parseInt(v.getFileName().toString()))
                    .max(Comparator.naturalOrder());
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the model directory", e);
        }
        int v = version.orElseThrow(() -> new ModelLoadException(dir + ": no version directory with " + ONNX
                + " (expected " + dir.resolve("1").resolve(ONNX) + ")"));
        return new ModelFiles(
                dir.getFileName().toString(),
                dir,
                config,
                v,
                dir.resolve(Integer.toString(v)).resolve(ONNX));
    }
}
