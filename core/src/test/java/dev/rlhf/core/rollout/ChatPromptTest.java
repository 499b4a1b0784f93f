package dev.rlhf.core.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.TestTokenizers;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollout's prompt under Qwen3's real template, and where its answers stop. */
class ChatPromptTest {

    @Test
    void aQwen3PolicyIsAskedTheGenerationPromptAndStopsAtImEndOrItsEosIds(@TempDir Path dir) throws IOException {
        Path model = TestTokenizers.copy(TestTokenizers.qwen3(), dir);
        Files.writeString(model.resolve("generation_config.json"), "{\"eos_token_id\": [151645, 151643]}");
        try (Tokenizer tokenizer = Tokenizer.load(model)) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            ChatPrompt chat = new ChatPrompt(layout, 64);
            String prompt = "What is 2+2?";
            assertArrayEquals(
                    tokenizer.encode(layout.template().render(List.of(ChatMessage.user(prompt)), true)),
                    chat.input(prompt).ids());
            long imEnd = tokenizer.tokenId("<|im_end|>").getAsInt();
            long endOfText = tokenizer.tokenId("<|endoftext|>").getAsInt();
            assertEquals(Set.of(imEnd, endOfText), chat.stopTokens());
            long[] four = tokenizer.encode("4");
            assertArrayEquals(four, chat.withoutEnd(new long[] {four[0], imEnd}));
        }
    }
}
