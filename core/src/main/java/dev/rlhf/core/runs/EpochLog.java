package dev.rlhf.core.runs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code log.json}: the per-epoch summaries of a run ({@code {"epochs": [{"epoch": 0, "train_loss": ..., "eval_loss":
 * ...}, ...]}}), rewritten whole and atomically after each epoch, so it is always a complete JSON document.
 */
public final class EpochLog {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<LinkedHashMap<String, List<LinkedHashMap<String, Object>>>> DOCUMENT =
            new TypeReference<>() {};

    private final Path file;

    public EpochLog(Path file) {
        this.file = file;
    }

    /** Adds one epoch's summary at the end and rewrites the file. */
    public synchronized void append(Map<String, Object> summary) {
        List<Map<String, Object>> epochs = new ArrayList<>(read());
        epochs.add(summary);
        write(epochs);
    }

    /** Replaces the whole log (e.g. cut back to the epochs of the checkpoint a run resumes from). */
    public synchronized void write(List<Map<String, Object>> epochs) {
        try {
            AtomicFile.write(file, JSON.writeValueAsString(Map.of("epochs", epochs)) + "\n");
        } catch (IOException e) {
            throw new RunException(file + ": cannot serialise the epoch log: " + e, e);
        }
    }

    /** The summaries so far; empty when the file does not exist yet. */
    public synchronized List<Map<String, Object>> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<LinkedHashMap<String, Object>> epochs =
                    JSON.readValue(file.toFile(), DOCUMENT).get("epochs");
            return epochs == null ? List.of() : List.copyOf(epochs);
        } catch (IOException e) {
            throw new RunException(file + ": not an epoch log ({\"epochs\": [...]}): " + e.getMessage(), e);
        }
    }

    /** The file. */
    public Path file() {
        return file;
    }
}
