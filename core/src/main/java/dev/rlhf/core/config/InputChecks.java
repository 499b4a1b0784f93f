package dev.rlhf.core.config;

import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.tokenizer.TokenizerException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that the files a job config names exist, before anything is queued, with the key at fault in the message.
 */
public final class InputChecks {
    private InputChecks() {}

    /** {@code model.path} is a directory, or {@code model.init} a file and {@code model.tokenizer} exists. */
    public static void model(ModelConfig model) {
        if (model.path().isPresent()) {
            requireDirectory(model.path().get(), "model.path");
            return;
        }
        requireFile(
                model.init()
                        .orElseThrow(() -> new ConfigException(
                                "model: give either 'path' (a model directory) or 'init' and 'tokenizer'")),
                "model.init");
        requireExists(
                model.tokenizer().orElseThrow(() -> new ConfigException("model.tokenizer: required with model.init")),
                "model.tokenizer");
    }

    /**
     * {@code seq_len} fits the model's {@code max_position_embeddings}: longer rows would index rotary positions the
     * model was never built for.
     *
     * @param architecture the model's, as {@code model.path} or {@code model.init} gives it
     */
    public static void seqLen(LlamaConfig architecture, ModelConfig model, int seqLen) {
        if (seqLen > architecture.maxPositionEmbeddings()) {
            throw new ConfigException("seq_len: " + seqLen + " exceeds the model's max_position_embeddings "
                    + architecture.maxPositionEmbeddings() + " ("
                    + (model.path().isPresent() ? "model.path" : "model.init")
                    + ")");
        }
    }

    /**
     * The tokenizer in {@code dir} has a chat template that lays out a conversation ({@link ChatLayout}): one that is
     * missing or fails on the probe conversation is a bad request, before a run directory exists.
     */
    public static void chatTemplate(Path dir, String key) {
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            ChatLayout.of(tokenizer);
        } catch (TokenizerException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    /** At least one dataset, and every {@code data.datasets[i].path} a file. */
    public static void datasets(DataConfig data) {
        if (data.datasets().isEmpty()) {
            throw new ConfigException("data.datasets: at least one dataset is needed");
        }
        for (int i = 0; i < data.datasets().size(); i++) {
            requireFile(data.datasets().get(i).path(), "data.datasets[" + i + "].path");
        }
    }

    private static void requireDirectory(Path path, String key) {
        if (!Files.isDirectory(path)) {
            throw new ConfigException(key + ": no such directory: " + path);
        }
    }

    private static void requireFile(Path path, String key) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(key + ": no such file: " + path);
        }
    }

    private static void requireExists(Path path, String key) {
        if (!Files.exists(path)) {
            throw new ConfigException(key + ": no such file or directory: " + path);
        }
    }
}
