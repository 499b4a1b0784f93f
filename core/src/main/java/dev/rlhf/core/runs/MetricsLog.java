package dev.rlhf.core.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per logged step ({@code step}, {@code epoch}, {@code loss}, {@code lr}, ...),
 * appended and flushed line by line so that a live reader (a plot, an SSE stream) sees each step as it lands.
 *
 * <p>Each line goes to the file in one append; a crash can only leave the last line incomplete, and {@link #read}
 * ignores such a line. Non-finite numbers are written as the strings {@code "NaN"} and {@code "Infinity"}.
 */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> RECORD = new TypeReference<>() {};

    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    /** Appends one record as a line and returns once it is written. */
    public synchronized void append(Map<String, Object> record) {
        try {
            byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new RunException(file + ": cannot append metrics: " + e, e);
        }
    }

    /** Every complete record so far, in order; empty when the file does not exist yet. */
    public List<Map<String, Object>> read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new RunException(file + ": cannot read metrics: " + e, e);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        // The last piece is empty after a final newline, or a line still being written: either way not a record.
        for (int i = 0; i < lines.length - 1; i++) {
            if (!lines[i].isBlank()) {
                records.add(parse(lines[i], i + 1));
            }
        }
        return records;
    }

    /**
     * Drops the records of steps after {@code step}: a resumed run repeats the steps between its checkpoint and the
     * kill, and its curve should continue the original one rather than log those steps twice.
     */
    public synchronized void truncateAfter(long step) {
        StringBuilder kept = new StringBuilder();
        for (Map<String, Object> record : read()) {
            Object recordStep = record.get("step");
            if (!(recordStep instanceof Number n) || n.longValue() <= step) {
                try {
                    kept.append(JSON.writeValueAsString(record)).append('\n');
                } catch (IOException e) {
                    throw new RunException(file + ": cannot rewrite metrics: " + e, e);
                }
            }
        }
        AtomicFile.write(file, kept.toString());
    }

    /** The file. */
    public Path file() {
        return file;
    }

    private Map<String, Object> parse(String line, int number) {
        try {
            return JSON.readValue(line, RECORD);
        } catch (JsonProcessingException e) {
            throw new RunException(file + ":" + number + ": not a JSON object: " + e.getOriginalMessage(), e);
        }
    }
}
