package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Anthropic HH harmless pairs from the repository's data/. */
class HhDataTest {
    @Test
    void everyChosenTranscriptIsAConversationEndingWithTheAssistant() {
        DatasetFile<List<ChatMessage>> data =
                DatasetReader.conversations(DataFilesForTests.hh(), DataFormat.AUTO, false);
        assertEquals("hh", data.format());
        assertEquals(1800, data.rows().size());
        assertEquals(0, data.skippedLines());
        for (List<ChatMessage> chat : data.rows()) {
            assertEquals("user", chat.get(0).role());
            assertTrue(chat.get(chat.size() - 1).isAssistant());
            for (int i = 1; i < chat.size(); i++) {
                assertFalse(chat.get(i).role().equals(chat.get(i - 1).role()), "roles alternate: " + chat);
            }
            for (ChatMessage turn : chat) {
                assertFalse(
                        turn.content().contains("\n\nHuman:") || turn.content().contains("\n\nAssistant:"));
            }
        }
    }

    @Test
    void twoTurnsOfOneSpeakerInARowAreOneMessage() {
        assertEquals(
                List.of(
                        ChatMessage.user("Hi"),
                        ChatMessage.assistant("First part.\n\nSecond part."),
                        ChatMessage.user("Thanks")),
                HhTranscript.parse(
                        "\n\nHuman: Hi\n\nAssistant: First part.\n\nAssistant: Second part.\n\nHuman: Thanks"));
    }

    @Test
    void pairsSplitAtTheSharedPromptEndingWithAssistant() throws IOException {
        List<PreferencePair> pairs = DatasetReader.pairs(DataFilesForTests.hh(), DataFormat.AUTO, false)
                .rows();
        assertEquals(1800, pairs.size());
        List<JsonNode> raw = rawRows();
        int differ = 0;
        int strayMarkers = 0;
        for (int i = 0; i < pairs.size(); i++) {
            String chosen = raw.get(i).get("chosen").asText();
            String rejected = raw.get(i).get("rejected").asText();
            String prompt = HhTranscript.sharedPrompt(chosen, rejected);
            assertTrue(prompt.endsWith("Assistant:"), prompt);
            assertTrue(chosen.startsWith(prompt) && rejected.startsWith(prompt));
            PreferencePair pair = pairs.get(i);
            assertEquals(chosen.substring(prompt.length()).strip(), pair.chosen());
            assertEquals(rejected.substring(prompt.length()).strip(), pair.rejected());
            assertEquals("user", pair.prompt().get(pair.prompt().size() - 1).role());
            if (!pair.chosen().contains(HhTranscript.ASSISTANT)) {
                assertEquals(HhTranscript.parse(chosen), pair.chosenChat(), "prompt + reply = the chosen dialogue");
            } else {
                strayMarkers++;
            }
            differ += pair.chosen().equals(pair.rejected()) ? 0 : 1;
        }
        assertEquals(1800, differ, "every pair has two different replies");
        assertTrue(strayMarkers <= 2, "rows 1255 and 1689 have an Assistant marker inside the chosen reply");
    }

    private static List<JsonNode> rawRows() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        try (BufferedReader reader = DataFiles.open(DataFilesForTests.hh())) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(json.readTree(line));
            }
        }
        return rows;
    }
}
