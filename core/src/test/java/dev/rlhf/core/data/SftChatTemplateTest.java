package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.ChatTemplateException;
import dev.rlhf.core.tokenizer.MaskedTokens;
import dev.rlhf.core.tokenizer.TestTokenizers;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** SFT data takes the model's own chat template: Qwen3's here. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftChatTemplateTest {
    private static final String TWO_TURNS = "{\"messages\": [{\"role\": \"system\", \"content\": \"Be terse.\"},"
            + " {\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello.\"},"
            + " {\"role\": \"user\", \"content\": \"Bye\"}, {\"role\": \"assistant\", \"content\": \"Farewell.\"}]}";

    private Tokenizer qwen3;

    @BeforeAll
    void load() {
        qwen3 = Tokenizer.load(TestTokenizers.qwen3());
    }

    @AfterAll
    void close() {
        qwen3.close();
    }

    private static List<DatasetSpec> chats(Path file) {
        return List.of(new DatasetSpec(file, DataFormat.CHAT, Portion.all(), new Portion.Size(0), false));
    }

    /** The multi-turn HH transcripts, a few with two Assistant turns in a row, all place their replies. */
    @Test
    void everyHhConversationTrainsUnderQwen3sTemplate() {
        List<DatasetSpec> hh = List.of(
                new DatasetSpec(DataFilesForTests.hh(), DataFormat.HH, Portion.all(), new Portion.Size(0), false));
        SftData data = SftData.load(hh, qwen3, 256, false, 1);
        assertEquals(1800, data.examples().size());
    }

    @Test
    void conversationsAreRenderedWithTheModelsTemplateAndTrainedOnTheReplies(@TempDir Path dir) {
        Path file = DataFilesForTests.write(dir, "chat.jsonl", TWO_TURNS);
        MaskedTokens example =
                SftData.load(chats(file), qwen3, 512, false, 1).examples().get(0);
        MaskedTokens encoded = new MaskedTokens(example.ids(), example.lossMask());
        assertEquals(
                List.of("Hello.<|im_end|>", "<think>\n\n</think>\n\nFarewell.<|im_end|>"),
                TestTokenizers.runs(qwen3, encoded, true));
        assertTrue(qwen3.decode(example.ids()).startsWith("<|im_start|>system\nBe terse.<|im_end|>\n"));
    }

    @Test
    void masksOfAllZerosStopTheJobNamingDatasetAndTemplate(@TempDir Path dir) {
        Path file = DataFilesForTests.write(dir, "chat.jsonl", TWO_TURNS);
        DataException e = assertThrows(DataException.class, () -> SftData.load(chats(file), qwen3, 4, false, 1));
        assertEquals(
                file + ": the loss mask is all zeros over 1 conversations with the chat template of "
                        + TestTokenizers.qwen3().resolve("tokenizer_config.json") + " (chat_template)"
                        + " (no assistant turns, or none within seq_len 4)",
                e.getMessage());
    }

    @Test
    void aTokenizerWithoutChatTemplateCannotTrainOnChats(@TempDir Path dir) throws IOException {
        Path file = DataFilesForTests.write(dir, "chat.jsonl", TWO_TURNS);
        Path bare = Files.createDirectory(dir.resolve("bare"));
        Files.copy(TestTokenizers.qwen3().resolve("tokenizer.json"), bare.resolve("tokenizer.json"));
        try (Tokenizer tokenizer = Tokenizer.load(bare)) {
            ChatTemplateException e = assertThrows(
                    ChatTemplateException.class, () -> SftData.load(chats(file), tokenizer, 512, false, 1));
            assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
        }
    }
}
