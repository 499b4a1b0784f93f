package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;

/** Anthropic HH pairs: the dialogue shared by {@code chosen} and {@code rejected} is the prompt (see HhTranscript). */
final class HhPairsFormat implements DatasetFormat<PreferencePair> {
    @Override
    public String name() {
        return "hh";
    }

    @Override
    public boolean recognises(JsonNode row) {
        return JsonFields.has(row, "chosen", "rejected");
    }

    @Override
    public PreferencePair parse(JsonNode row) {
        String chosen = JsonFields.text(row, "chosen");
        String rejected = JsonFields.text(row, "rejected");
        try {
            return HhTranscript.pair(chosen, rejected);
        } catch (IllegalArgumentException e) {
            throw new RowException(e.getMessage());
        }
    }
}
