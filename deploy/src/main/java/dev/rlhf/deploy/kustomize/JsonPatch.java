package dev.rlhf.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON patch, the operations {@code add}, {@code replace} and {@code remove} (kustomize's JSON6902 patches),
 * with RFC 6901 pointers ({@code ~0} and {@code ~1} escapes, {@code -} to append to a list).
 */
public final class JsonPatch {

    private JsonPatch() {}

    /** Applies every operation of {@code operations} (a YAML / JSON list) to {@code target} in place. */
    public static void apply(ObjectNode target, JsonNode operations, String patchFile) {
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String pointer = operation.path("path").asText();
            String where = patchFile + ": " + op + " " + pointer;
            List<String> tokens = tokens(pointer, where);
            JsonNode parent = navigate(target, tokens.subList(0, tokens.size() - 1), where);
            String last = tokens.get(tokens.size() - 1);
            switch (op) {
                case "add" -> add(parent, last, value(operation, where), where);
                case "replace" -> {
                    remove(parent, last, where);
                    add(parent, last, value(operation, where), where);
                }
                case "remove" -> remove(parent, last, where);
                default -> throw new KustomizeException(where + ": unsupported operation (add, replace, remove)");
            }
        }
    }

    private static JsonNode value(JsonNode operation, String where) {
        if (!operation.has("value")) {
            throw new KustomizeException(where + ": no value");
        }
        return operation.get("value").deepCopy();
    }

    private static List<String> tokens(String pointer, String where) {
        if (!pointer.startsWith("/")) {
            throw new KustomizeException(where + ": a JSON pointer starts with '/'");
        }
        List<String> out = new ArrayList<>();
        for (String token : pointer.substring(1).split("/", -1)) {
            out.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static JsonNode navigate(JsonNode node, List<String> tokens, String where) {
        JsonNode current = node;
        for (String token : tokens) {
            current = current.isArray() ? current.get(index(current, token, where, false)) : current.get(token);
            if (current == null) {
                throw new KustomizeException(where + ": no such path in the target ('" + token + "')");
            }
        }
        return current;
    }

    private static void add(JsonNode parent, String token, JsonNode value, String where) {
        if (parent instanceof ObjectNode object) {
            object.set(token, value);
        } else if (parent instanceof ArrayNode array) {
            if (token.equals("-")) {
                array.add(value);
            } else {
                array.insert(index(array, token, where, true), value);
            }
        } else {
            throw new KustomizeException(where + ": the parent is not an object or a list");
        }
    }

    private static void remove(JsonNode parent, String token, String where) {
        if (parent instanceof ObjectNode object && object.has(token)) {
            object.remove(token);
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(array, token, where, false));
        } else {
            throw new KustomizeException(where + ": no such path in the target ('" + token + "')");
        }
    }

    private static int index(JsonNode array, String token, String where, boolean forInsert) {
        int index;
        try {
            index = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new KustomizeException(where + ": '" + token + "' is not a list index");
        }
        int limit = forInsert ? array.size() : array.size() - 1;
        if (index < 0 || index > limit) {
            throw new KustomizeException(where + ": index " + index + " out of range (" + array.size() + " items)");
        }
        return index;
    }
}
