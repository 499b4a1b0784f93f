package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Qwen3's real tokenizer and chat template: the text transformers renders, and the loss mask on it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatTemplateQwen3Test {
    private static final List<ChatMessage> CHAT = List.of(
            ChatMessage.system("You are brief."),
            ChatMessage.user("Hi"),
            ChatMessage.assistant("Hello."),
            ChatMessage.user("Again?"),
            ChatMessage.assistant("Yes."));

    private Tokenizer tokenizer;
    private ChatTemplate template;

    @BeforeAll
    void load() {
        tokenizer = Tokenizer.load(TestTokenizers.qwen3());
        template = ChatTemplate.of(tokenizer);
    }

    @AfterAll
    void close() {
        tokenizer.close();
    }

    @Test
    void onlyTheFinalAssistantTurnGetsTheEmptyThinkBlock() {
        assertEquals(
                "<|im_start|>system\nYou are brief.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n"
                        + "<|im_start|>assistant\nHello.<|im_end|>\n"
                        + "<|im_start|>user\nAgain?<|im_end|>\n"
                        + "<|im_start|>assistant\n<think>\n\n</think>\n\nYes.<|im_end|>\n",
                template.render(CHAT, false));
    }

    @Test
    void theGenerationPromptWithoutEnableThinkingOpensAnAssistantTurnOnly() {
        assertEquals(
                "<|im_start|>system\nYou are brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                template.render(CHAT.subList(0, 2), true));
    }

    @Test
    void reasoningIsDroppedFromEarlierTurnsAndReformattedInTheLast() {
        List<ChatMessage> chat = List.of(
                ChatMessage.user("2+2?"),
                ChatMessage.assistant("<think>\nAdd them.\n</think>\n\n4."),
                ChatMessage.user("And 3+3?"),
                ChatMessage.assistant("<think>Again.</think>6."));
        assertEquals(
                "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4.<|im_end|>\n"
                        + "<|im_start|>user\nAnd 3+3?<|im_end|>\n"
                        + "<|im_start|>assistant\n<think>\nAgain.\n</think>\n\n6.<|im_end|>\n",
                template.render(chat, false));
        MaskedTokens encoded = template.encode(tokenizer, chat);
        assertEquals(
                List.of("4.<|im_end|>", "<think>\nAgain.\n</think>\n\n6.<|im_end|>"),
                TestTokenizers.runs(tokenizer, encoded, true));
    }

    @Test
    void theLossMaskCoversEachReplyThroughImEndAndNothingOfTheOtherTurns() {
        MaskedTokens encoded = template.encode(tokenizer, CHAT);
        assertArrayEquals(tokenizer.encode(template.render(CHAT, false)), encoded.ids());
        assertEquals(
                List.of("Hello.<|im_end|>", "<think>\n\n</think>\n\nYes.<|im_end|>"),
                TestTokenizers.runs(tokenizer, encoded, true));
        assertEquals(
                List.of(
                        "<|im_start|>system\nYou are brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                                + "<|im_start|>assistant\n",
                        "\n<|im_start|>user\nAgain?<|im_end|>\n<|im_start|>assistant\n",
                        "\n"),
                TestTokenizers.runs(tokenizer, encoded, false));
        // the final reply by token: <think> \n\n </think> \n\n Yes . <|im_end|>
        int imEnd = tokenizer.tokenId("<|im_end|>").orElseThrow();
        assertEquals(151645, imEnd);
        assertEquals(imEnd, encoded.ids()[encoded.length() - 2]);
        assertTrue(encoded.lossMask()[encoded.length() - 2]);
        int think = tokenizer.tokenId("<think>").orElseThrow();
        int firstTrainedOfLastReply = lastRunStart(encoded.lossMask());
        assertEquals(think, encoded.ids()[firstTrainedOfLastReply]);
    }

    @Test
    void repliesEndAtImEndAndGenerationStopsThere() {
        assertEquals("<|im_end|>", template.endOfTurn());
        assertEquals(Set.of(151645L), template.stopIds(tokenizer), "Qwen3's eos_token is <|im_end|> too");
    }

    @Test
    void aTemplateClosingTurnsWithATokenTheVocabularyLacksIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(
                TestTokenizers.copy(TestTokenizers.qwen3(), dir).resolve("chat_template.jinja"),
                "{% for m in messages %}{{ m.role + ': ' + m.content + '<|eot_id|>' }}{% endfor %}");
        try (Tokenizer other = Tokenizer.load(dir)) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(other));
            assertTrue(e.getMessage().startsWith(dir.resolve("chat_template.jinja") + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("'<|eot_id|>'"), e.getMessage());
        }
    }

    @Test
    void aSpecialTokenVariableMissingFromTheVocabularyIsNamed(@TempDir Path dir) throws IOException {
        TestTokenizers.copy(TestTokenizers.qwen3(), dir);
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": \"<|no_such_token|>\", \"chat_template\": \"{{ bos_token }}{% for m in messages %}"
                        + "{{ m.content + '<|im_end|>' }}{% endfor %}\"}");
        try (Tokenizer other = Tokenizer.load(dir)) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(other));
            assertEquals(
                    dir.resolve("tokenizer_config.json")
                            + " (chat_template): the template uses bos_token '<|no_such_token|>', "
                            + "which is not in the vocabulary of " + dir.resolve("tokenizer.json"),
                    e.getMessage());
        }
    }

    @Test
    void raiseExceptionIsOneLineNamingTheTemplateFile(@TempDir Path dir) throws IOException {
        Files.writeString(
                TestTokenizers.copy(TestTokenizers.qwen3(), dir).resolve("chat_template.jinja"),
                "{% for m in messages %}{% if m.role == 'system' %}"
                        + "{{ raise_exception('System role not supported') }}{% endif %}"
                        + "{{ '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}{% endfor %}");
        try (Tokenizer other = Tokenizer.load(dir)) {
            ChatTemplate strict = ChatTemplate.of(other);
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> strict.render(CHAT, false));
            assertEquals(
                    dir.resolve("chat_template.jinja")
                            + ": the template raised an exception: System role not supported",
                    e.getMessage());
        }
    }

    private static int lastRunStart(boolean[] mask) {
        int i = mask.length - 1;
        while (!mask[i]) {
            i--;
        }
        while (i > 0 && mask[i - 1]) {
            i--;
        }
        return i;
    }
}
