package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The prompts of a data file in any supported format, one per row, for generation and evaluation: a row's prompt is
 * its first user turn. {@code prompt} lines ({@code {"prompt": "..."}}, PPO's prompt files) have no format name of their
 * own: {@code auto} takes a first line with a {@code prompt} field and neither {@code chosen} nor {@code replies} for
 * one; otherwise {@code auto} tries preferences (pairs, ranked, hh), then conversations (chat, alpaca).
 */
public final class PromptRows {

    private PromptRows() {}

    /** The prompt of every row of {@code file}, read as {@code format}. */
    public static List<String> read(Path file, DataFormat format) {
        return switch (format) {
            case AUTO -> auto(file);
            case PAIRS, HH, RANKED -> fromPreferences(file, format);
            case CHAT, ALPACA -> fromConversations(file, format);
            case TEXT ->
                throw new DataException(file + ": format 'text' has no prompts (chat, alpaca, hh, pairs, "
                        + "ranked or {\"prompt\": ...} lines)");
        };
    }

    private static List<String> auto(Path file) {
        Optional<JsonNode> first = firstRow(file);
        if (first.isEmpty()) {
            throw new DataException(file + ":1: not a JSON object; cannot read prompts from it");
        }
        JsonNode row = first.get();
        if (row.has("prompt") && !row.has("chosen") && !row.has("replies")) {
            return promptLines(file);
        }
        if (row.has("chosen") || row.has("replies")) {
            return fromPreferences(file, DataFormat.AUTO);
        }
        return fromConversations(file, DataFormat.AUTO);
    }

    private static List<String> fromPreferences(Path file, DataFormat format) {
        List<String> out = new ArrayList<>();
        for (RankedReplies row :
                DatasetReader.rankings(file, format, false, Optional.empty()).rows()) {
            out.add(firstUserTurn(row.prompt(), file));
        }
        return out;
    }

    private static List<String> fromConversations(Path file, DataFormat format) {
        List<String> out = new ArrayList<>();
        for (List<ChatMessage> row :
                DatasetReader.conversations(file, format, false).rows()) {
            out.add(firstUserTurn(row, file));
        }
        return out;
    }

    private static List<String> promptLines(Path file) {
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = DataFiles.open(file)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode prompt =
                        JsonFields.parse(line).map(r -> r.get("prompt")).orElse(null);
                if (prompt == null || !prompt.isTextual()) {
                    throw new DataException(file + ":" + number + ": expected a string field 'prompt'");
                }
                out.add(prompt.asText());
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
        return out;
    }

    private static String firstUserTurn(List<ChatMessage> turns, Path file) {
        return turns.stream()
                .filter(t -> t.role().equals("user"))
                .findFirst()
                .map(ChatMessage::content)
                .orElseThrow(() -> new DataException(file + ": a row without a user turn"));
    }

    private static Optional<JsonNode> firstRow(Path file) {
        try (BufferedReader reader = DataFiles.open(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    return JsonFields.parse(line).filter(JsonNode::isObject);
                }
            }
            throw new DataException(file + ": empty; no prompts");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
    }
}
