package dev.rlhf.core.export;

import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.proto.triton.TritonModelConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Triton model repository entry: {@code <repo>/<name>/config.pbtxt}, {@code <repo>/<name>/<version>/model.onnx},
 * and the model's tokenizer files beside the config, so that a server in front of the model (the gateway) can turn
 * text into ids. Triton itself ignores the extra files.
 */
public final class ModelRepository {

    private ModelRepository() {}

    public static ExportedModel write(
            Path repository,
            String name,
            CausalLm model,
            ExportOptions options,
            TritonConfigs.Serving serving,
            Path tokenizerDir) {
        ExportedModel exported = OnnxExporter.export(repository, name, model, options);
        Path modelDir = repository.resolve(name);
        try {
            TritonModelConfigs.write(
                    TritonConfigs.of(exported, serving, model.config().maxPositionEmbeddings()),
                    modelDir.resolve(TritonModelConfigs.FILE_NAME));
            if (tokenizerDir != null) {
                HfCheckpoint.copyTokenizer(tokenizerDir, modelDir);
            }
        } catch (IOException e) {
            throw CheckpointException.io(modelDir, "write", e);
        }
        return exported;
    }

    /** True when {@code dir} looks like one model of a repository. */
    public static boolean isModelDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(TritonModelConfigs.FILE_NAME));
    }
}
