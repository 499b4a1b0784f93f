package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.MaskedTokens;
import dev.rlhf.core.tokenizer.SpecialTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftExamplesTest {
    private Tokenizer tokenizer;

    @BeforeAll
    void train(@TempDir Path dir) {
        tokenizer = DataFilesForTests.tokenizer(dir);
    }

    @AfterAll
    void close() {
        tokenizer.close();
    }

    @Test
    void theLossMaskCoversExactlyTheAssistantTurnsOfRealHhConversations() {
        List<List<ChatMessage>> chats = DatasetReader.conversations(DataFilesForTests.hh(), DataFormat.HH, false)
                .rows()
                .subList(0, 50);
        for (List<ChatMessage> chat : chats) {
            MaskedTokens example = SftExamples.chat(ChatTemplate.own(), tokenizer, chat, 100_000);
            List<String> trained = maskedSpans(example, true);
            List<String> expected = chat.stream()
                    .filter(ChatMessage::isAssistant)
                    .map(m -> m.content() + SpecialTokens.END_OF_TURN)
                    .toList();
            assertEquals(expected, trained);
            String untrained = String.join("", maskedSpans(example, false));
            for (ChatMessage turn : chat) {
                assertTrue(!turn.isAssistant() == untrained.contains(turn.content())
                        || turn.content().isEmpty());
            }
        }
    }

    @Test
    void longConversationsAreCutToSeqLen() {
        List<ChatMessage> chat = List.of(ChatMessage.user("Speak."), ChatMessage.assistant("Words ".repeat(200)));
        MaskedTokens whole = SftExamples.chat(ChatTemplate.own(), tokenizer, chat, 100_000);
        MaskedTokens cut = SftExamples.chat(ChatTemplate.own(), tokenizer, chat, 64);
        assertEquals(64, cut.length());
        assertArrayEquals(Arrays.copyOf(whole.ids(), 64), cut.ids());
        assertArrayEquals(Arrays.copyOf(whole.lossMask(), 64), cut.lossMask());
    }

    @Test
    void textBecomesBlocksJoinedByEndOfText() {
        List<String> docs = List.of("First, a short document.", "Then the second one, a little longer.", "Third.");
        List<MaskedTokens> blocks = SftExamples.blocks(tokenizer, docs, 8);
        long eot = tokenizer.tokenId(SpecialTokens.END_OF_TEXT).orElseThrow();
        List<Long> joined = new ArrayList<>();
        for (int d = 0; d < docs.size(); d++) {
            if (d > 0) {
                joined.add(eot);
            }
            Arrays.stream(tokenizer.encode(docs.get(d))).forEach(joined::add);
        }
        List<Long> fromBlocks = new ArrayList<>();
        for (int b = 0; b < blocks.size(); b++) {
            MaskedTokens block = blocks.get(b);
            assertTrue(b == blocks.size() - 1 ? block.length() <= 8 : block.length() == 8);
            assertEquals(block.length(), block.lossTokens(), "every pretraining token is a target");
            Arrays.stream(block.ids()).forEach(fromBlocks::add);
        }
        assertEquals(joined, fromBlocks);
    }

    /** The decoded runs of tokens whose mask equals {@code trained}. */
    private List<String> maskedSpans(MaskedTokens example, boolean trained) {
        List<String> spans = new ArrayList<>();
        int i = 0;
        while (i < example.length()) {
            int start = i;
            while (i < example.length() && example.lossMask()[i] == example.lossMask()[start]) {
                i++;
            }
            if (example.lossMask()[start] == trained) {
                spans.add(tokenizer.decode(Arrays.copyOfRange(example.ids(), start, i)));
            }
        }
        return spans;
    }
}
