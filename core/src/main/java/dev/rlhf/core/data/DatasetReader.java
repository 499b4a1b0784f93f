package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Reads data files (gzip or not) into rows. A line that does not parse fails the read with {@code file:line: reason},
 * unless bad lines are to be skipped, in which case they are counted in {@link DatasetFile#skippedLines()}. Blank lines
 * are ignored.
 *
 * <p>{@link DataFormat#AUTO} looks at the fields of the first non-blank line and takes the first format, in the order
 * listed for each kind of row, that has them.
 */
public final class DatasetReader {
    private static final List<DatasetFormat<List<ChatMessage>>> CONVERSATIONS =
            List.of(DatasetFormat.CHAT, DatasetFormat.ALPACA, DatasetFormat.HH_CHAT);
    private static final List<DatasetFormat<PreferencePair>> PAIRS =
            List.of(DatasetFormat.PAIRS, DatasetFormat.HH_PAIRS);

    private DatasetReader() {}

    /** Conversations for SFT: {@code chat}, {@code alpaca} or {@code hh} (the chosen side). */
    public static DatasetFile<List<ChatMessage>> conversations(Path file, DataFormat format, boolean skipBadLines) {
        DatasetFormat<List<ChatMessage>> reader = switch (format) {
            case AUTO -> detect(file, CONVERSATIONS);
            case CHAT -> DatasetFormat.CHAT;
            case ALPACA -> DatasetFormat.ALPACA;
            case HH -> DatasetFormat.HH_CHAT;
            case PAIRS, RANKED, TEXT -> throw unsuitable(file, format, "conversations (chat, alpaca or hh)");
        };
        return read(file, reader, skipBadLines);
    }

    /** Preference pairs for a reward model: {@code pairs} or {@code hh}. */
    public static DatasetFile<PreferencePair> pairs(Path file, DataFormat format, boolean skipBadLines) {
        DatasetFormat<PreferencePair> reader = switch (format) {
            case AUTO -> detect(file, PAIRS);
            case PAIRS -> DatasetFormat.PAIRS;
            case HH -> DatasetFormat.HH_PAIRS;
            case CHAT, ALPACA, RANKED, TEXT -> throw unsuitable(file, format, "preference pairs (pairs or hh)");
        };
        return read(file, reader, skipBadLines);
    }

    /**
     * Rows for a reward model: {@code pairs}, {@code hh} (each a pair: two replies, chosen first) or {@code ranked}
     * (two or more replies, best first); {@code auto} tries them in that order (pairs before hh, whose fields are a
     * subset). With {@code marginColumn}, a file whose first row has that number field must have it on every row (the
     * row's margin); a file whose first row lacks it has no margins (all 0), so margin and plain datasets can be mixed.
     */
    public static DatasetFile<RankedReplies> rankings(
            Path file, DataFormat format, boolean skipBadLines, Optional<String> marginColumn) {
        Optional<String> margin = marginColumn.filter(column -> firstLine(file)
                .flatMap(JsonFields::parse)
                .map(row -> row.has(column))
                .orElse(false));
        DatasetFormat<RankedReplies> reader = switch (format) {
            case AUTO ->
                detect(
                        file,
                        List.of(
                                new PreferenceRows(DatasetFormat.PAIRS, margin),
                                new PreferenceRows(DatasetFormat.RANKED, margin),
                                new PreferenceRows(DatasetFormat.HH_PAIRS, margin)));
            case PAIRS -> new PreferenceRows(DatasetFormat.PAIRS, margin);
            case HH -> new PreferenceRows(DatasetFormat.HH_PAIRS, margin);
            case RANKED -> new PreferenceRows(DatasetFormat.RANKED, margin);
            case CHAT, ALPACA, TEXT -> throw unsuitable(file, format, "preferences (pairs, hh or ranked)");
        };
        return read(file, reader, skipBadLines);
    }

    /**
     * Documents for pretraining: JSON lines with a {@code text} field (one document each), or, when the first line is
     * not a JSON object, the whole file as one document.
     */
    public static DatasetFile<String> texts(Path file, DataFormat format, boolean skipBadLines) {
        if (format != DataFormat.AUTO && format != DataFormat.TEXT) {
            throw unsuitable(file, format, "text");
        }
        Optional<JsonNode> first = firstLine(file).flatMap(JsonFields::parse).filter(JsonNode::isObject);
        if (first.isEmpty()) {
            return new DatasetFile<>(file, "text", List.of(DataFiles.readAll(file)), 0, Optional.empty());
        }
        if (!DatasetFormat.TEXT.recognises(first.get())) {
            throw new DataException(file + ":1: JSON lines without a 'text' field (fields " + fields(first.get())
                    + "); pretraining reads plain text or {\"text\": ...} lines");
        }
        return read(file, DatasetFormat.TEXT, skipBadLines);
    }

    /** Every line of {@code file} read as {@code format}. */
    public static <T> DatasetFile<T> read(Path file, DatasetFormat<T> format, boolean skipBadLines) {
        List<T> rows = new ArrayList<>();
        int skipped = 0;
        String firstSkipped = null;
        try (BufferedReader reader = DataFiles.open(file)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(format.parse(JsonFields.object(line)));
                } catch (RowException e) {
                    String problem =
                            file + ":" + number + ": " + e.getMessage() + " (reading as " + format.name() + ")";
                    if (!skipBadLines) {
                        throw new DataException(problem);
                    }
                    skipped++;
                    firstSkipped = firstSkipped == null ? problem : firstSkipped;
                }
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
        return new DatasetFile<>(file, format.name(), rows, skipped, Optional.ofNullable(firstSkipped));
    }

    private static <T> DatasetFormat<T> detect(Path file, List<DatasetFormat<T>> candidates) {
        String names = candidates.stream().map(DatasetFormat::name).collect(Collectors.joining(", "));
        String line = firstLine(file).orElseThrow(() -> new DataException(file + ": empty; cannot detect its format"));
        JsonNode row = JsonFields.parse(line)
                .filter(JsonNode::isObject)
                .orElseThrow(() -> new DataException(
                        file + ":1: not a JSON object; cannot detect its format (expected JSON lines: " + names + ")"));
        return candidates.stream()
                .filter(f -> f.recognises(row))
                .findFirst()
                .orElseThrow(() -> new DataException(file + ":1: cannot detect the format from the fields "
                        + fields(row) + " (expected one of " + names + "; see DatasetFormat)"));
    }

    private static Optional<String> firstLine(Path file) {
        try (BufferedReader reader = DataFiles.open(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    return Optional.of(line);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
    }

    private static List<String> fields(JsonNode row) {
        return StreamSupport.stream(((Iterable<String>) row::fieldNames).spliterator(), false)
                .toList();
    }

    private static DataException unsuitable(Path file, DataFormat format, String wanted) {
        return new DataException(
                file + ": format '" + format.name().toLowerCase(Locale.ROOT) + "' does not give " + wanted);
    }
}
