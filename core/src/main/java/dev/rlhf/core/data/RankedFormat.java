package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Ranked replies (Open-Assistant style): {@code {"prompt": ..., "replies": ["best", "next", ...]}}, at least two
 * replies in preference order; the prompt is a string or messages.
 */
final class RankedFormat implements DatasetFormat<RankedReplies> {
    @Override
    public String name() {
        return "ranked";
    }

    @Override
    public boolean recognises(JsonNode row) {
        return JsonFields.has(row, "prompt", "replies");
    }

    @Override
    public RankedReplies parse(JsonNode row) {
        JsonNode replies = row.get("replies");
        if (replies == null || replies.isNull()) {
            throw new RowException("missing field 'replies'");
        }
        if (!replies.isArray() || replies.size() < 2) {
            throw new RowException(
                    "field 'replies' must be an array of at least two strings, best first, got " + describe(replies));
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            if (!replies.get(i).isTextual()) {
                throw new RowException("replies[" + i + "] must be a string, got " + JsonFields.kind(replies.get(i)));
            }
            texts.add(replies.get(i).asText());
        }
        return new RankedReplies(PairsFormat.prompt(row), texts, 0);
    }

    private static String describe(JsonNode replies) {
        return replies.isArray() ? "an array of " + replies.size() : JsonFields.kind(replies);
    }
}
