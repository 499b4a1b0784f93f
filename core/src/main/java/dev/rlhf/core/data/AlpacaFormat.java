package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.List;

/** Alpaca instructions: {@code {"instruction": ..., "input": ..., "output": ...}}, input optional. */
final class AlpacaFormat implements DatasetFormat<List<ChatMessage>> {
    @Override
    public String name() {
        return "alpaca";
    }

    @Override
    public boolean recognises(JsonNode row) {
        return JsonFields.has(row, "instruction", "output");
    }

    @Override
    public List<ChatMessage> parse(JsonNode row) {
        String instruction = JsonFields.text(row, "instruction");
        String input = JsonFields.optionalText(row, "input").orElse("");
        String user = input.isEmpty() ? instruction : instruction + "\n\n" + input;
        return List.of(ChatMessage.user(user), ChatMessage.assistant(JsonFields.text(row, "output")));
    }
}
