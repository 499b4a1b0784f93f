package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.List;

/** The {@code chosen} transcript of an Anthropic HH row, as chat turns: supervised fine-tuning on the preferred side. */
final class HhChatFormat implements DatasetFormat<List<ChatMessage>> {
    @Override
    public String name() {
        return "hh";
    }

    @Override
    public boolean recognises(JsonNode row) {
        return JsonFields.has(row, "chosen") && !row.has("prompt");
    }

    @Override
    public List<ChatMessage> parse(JsonNode row) {
        List<ChatMessage> turns;
        try {
            turns = HhTranscript.parse(JsonFields.text(row, "chosen"));
        } catch (IllegalArgumentException e) {
            throw new RowException("field 'chosen': " + e.getMessage());
        }
        if (turns.stream().noneMatch(ChatMessage::isAssistant)) {
            throw new RowException("field 'chosen' has no Assistant turn to train on");
        }
        return turns;
    }
}
