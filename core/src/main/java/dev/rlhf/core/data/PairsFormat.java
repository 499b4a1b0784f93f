package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.List;

/** Preference pairs: {@code {"prompt": ..., "chosen": ..., "rejected": ...}}; the prompt is a string or messages. */
final class PairsFormat implements DatasetFormat<PreferencePair> {
    @Override
    public String name() {
        return "pairs";
    }

    @Override
    public boolean recognises(JsonNode row) {
        return JsonFields.has(row, "prompt", "chosen", "rejected");
    }

    @Override
    public PreferencePair parse(JsonNode row) {
        return new PreferencePair(prompt(row), JsonFields.text(row, "chosen"), JsonFields.text(row, "rejected"));
    }

    /** The {@code prompt} field: a string (one user turn) or an array of messages. */
    static List<ChatMessage> prompt(JsonNode row) {
        JsonNode prompt = row.get("prompt");
        return prompt != null && prompt.isArray()
                ? ChatFormat.messages(row, "prompt", false)
                : List.of(ChatMessage.user(JsonFields.text(row, "prompt")));
    }
}
