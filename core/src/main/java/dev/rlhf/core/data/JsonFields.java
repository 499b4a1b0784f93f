package dev.rlhf.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** Reads one JSON line and its fields, raising {@link RowException}s that say which field is wrong and how. */
final class JsonFields {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonFields() {}

    /** The JSON object on {@code line}. */
    static JsonNode object(String line) {
        JsonNode node = parse(line).orElseThrow(() -> new RowException("not valid JSON"));
        if (!node.isObject()) {
            throw new RowException("expected a JSON object, got " + kind(node));
        }
        return node;
    }

    /** The JSON value on {@code line}, or empty when it is not JSON. */
    static Optional<JsonNode> parse(String line) {
        try {
            return Optional.ofNullable(JSON.readTree(line));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** A required string field. */
    static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            throw new RowException("missing field '" + field + "'");
        }
        if (!value.isTextual()) {
            throw new RowException("field '" + field + "' must be a string, got " + kind(value));
        }
        return value.asText();
    }

    /** A required number field. */
    static double number(JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            throw new RowException("missing field '" + field + "'");
        }
        if (!value.isNumber()) {
            throw new RowException("field '" + field + "' must be a number, got " + kind(value));
        }
        return value.asDouble();
    }

    /** An optional string field (absent or null gives empty). */
    static Optional<String> optionalText(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(text(row, field));
    }

    /** True when {@code row} has every one of {@code fields} (used to detect a format). */
    static boolean has(JsonNode row, String... fields) {
        for (String field : fields) {
            if (!row.has(field)) {
                return false;
            }
        }
        return true;
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            default -> "a string";
        };
    }
}
