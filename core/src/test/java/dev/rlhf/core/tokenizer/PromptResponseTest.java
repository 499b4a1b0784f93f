package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptResponseTest {

    @Test
    void isTheChatTemplateOfAUserAndAnAssistantTurnFromTextOrIds(@TempDir Path dir) throws IOException {
        Path corpus = Files.writeString(
                dir.resolve("corpus.txt"), "the cat sat on the mat. the dog sat on the log. ".repeat(20));
        TokenizerJsonWriter.write(BpeTrainer.train(List.of(corpus), BpeTrainer.minimumVocabSize() + 20), dir);
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            String prompt = "Where did the cat sit?";
            String response = "On the mat, café 😀.";
            long[] ids = PromptResponse.encode(tokenizer, prompt, response);
            assertEquals(
                    "<|user|>\n" + prompt + "<|end|>\n<|assistant|>\n" + response + "<|end|>\n", tokenizer.decode(ids));
            assertArrayEquals(
                    ChatTemplate.own()
                            .encode(tokenizer, List.of(ChatMessage.user(prompt), ChatMessage.assistant(response)))
                            .ids(),
                    ids);
            assertArrayEquals(
                    ids, PromptResponse.encode(tokenizer, tokenizer.encode(prompt), tokenizer.encode(response)));
        }
    }
}
