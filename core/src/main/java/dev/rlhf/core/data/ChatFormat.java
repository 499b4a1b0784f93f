package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/** Chat conversations: {@code {"messages": [{"role": "user", "content": ...}, ...]}}, with an assistant turn. */
final class ChatFormat implements DatasetFormat<List<ChatMessage>> {
    @Override
    public String name() {
        return "chat";
    }

    @Override
    public boolean recognises(JsonNode row) {
        return JsonFields.has(row, "messages");
    }

    @Override
    public List<ChatMessage> parse(JsonNode row) {
        return messages(row, "messages", true);
    }

    /** The messages of an array field; with {@code needAssistant}, at least one must be an assistant turn. */
    static List<ChatMessage> messages(JsonNode row, String field, boolean needAssistant) {
        JsonNode array = row.get(field);
        if (array == null || array.isNull()) {
            throw new RowException("missing field '" + field + "'");
        }
        if (!array.isArray() || array.isEmpty()) {
            throw new RowException("field '" + field + "' must be a non-empty array, got " + JsonFields.kind(array));
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode message = array.get(i);
            String where = field + "[" + i + "]";
            if (!message.isObject()) {
                throw new RowException(where + " must be an object, got " + JsonFields.kind(message));
            }
            String role = JsonFields.text(message, "role");
            if (!ChatMessage.ROLES.contains(role)) {
                throw new RowException(where + ": unknown role '" + role + "' (expected one of "
                        + String.join(", ", ChatMessage.ROLES) + ")");
            }
            messages.add(new ChatMessage(role, JsonFields.text(message, "content")));
        }
        if (needAssistant && messages.stream().noneMatch(ChatMessage::isAssistant)) {
            throw new RowException("field '" + field + "' has no assistant turn to train on");
        }
        return List.copyOf(messages);
    }
}
