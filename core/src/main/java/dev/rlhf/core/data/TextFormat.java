package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON lines of documents: {@code {"text": ...}}. */
final class TextFormat implements DatasetFormat<String> {
    @Override
    public String name() {
        return "text";
    }

    @Override
    public boolean recognises(JsonNode row) {
        return JsonFields.has(row, "text");
    }

    @Override
    public String parse(JsonNode row) {
        return JsonFields.text(row, "text");
    }
}
