package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.TestData;
import java.io.IOException;
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
class ChatTemplateTest {
    private static final List<ChatMessage> CHAT = List.of(
            ChatMessage.system("You are a helpful poet."),
            ChatMessage.user("Speak, speak."),
            ChatMessage.assistant("Before we proceed any further, hear me speak."),
            ChatMessage.user("And in Japanese? 😀"),
            ChatMessage.assistant("日本語で話します。\nWith a second line, and café."));

    private Tokenizer tokenizer;

    @BeforeAll
    void train(@TempDir Path dir) throws IOException {
        TokenizerJsonWriter.write(BpeTrainer.train(List.of(TestData.tinyShakespeare()), 1000), dir);
        tokenizer = Tokenizer.load(dir);
    }

    @AfterAll
    void close() {
        tokenizer.close();
    }

    @Test
    void rendersTheTurnFormat() {
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello."));
        assertEquals(
                "<|user|>\nHi<|end|>\n<|assistant|>\nHello.<|end|>\n",
                ChatTemplate.own().render(chat, false));
        assertEquals("<|user|>\nHi<|end|>\n<|assistant|>\n", ChatTemplate.own().render(chat.subList(0, 1), true));
    }

    @Test
    void lossMaskCoversExactlyTheAssistantContentsAndTheirEnd() {
        MaskedTokens encoded = ChatTemplate.own().encode(tokenizer, CHAT);
        assertEquals(ChatTemplate.own().render(CHAT, false), tokenizer.decode(encoded.ids()));
        List<String> masked = new ArrayList<>();
        List<String> unmasked = new ArrayList<>();
        long endId = tokenizer.tokenId(SpecialTokens.END_OF_TURN).orElseThrow();
        int i = 0;
        while (i < encoded.length()) {
            boolean trained = encoded.lossMask()[i];
            int start = i;
            while (i < encoded.length() && encoded.lossMask()[i] == trained) {
                i++;
            }
            long[] run = Arrays.copyOfRange(encoded.ids(), start, i);
            (trained ? masked : unmasked).add(tokenizer.decode(run));
            if (trained) {
                assertEquals(endId, run[run.length - 1], "a trained run ends with <|end|>");
            }
        }
        assertEquals(List.of(CHAT.get(2).content() + "<|end|>", CHAT.get(4).content() + "<|end|>"), masked);
        assertEquals(
                List.of(
                        "<|system|>\nYou are a helpful poet.<|end|>\n<|user|>\nSpeak, speak.<|end|>\n<|assistant|>\n",
                        "\n<|user|>\nAnd in Japanese? 😀<|end|>\n<|assistant|>\n",
                        "\n"),
                unmasked);
        int endTokens =
                (int) Arrays.stream(encoded.ids()).filter(id -> id == endId).count();
        assertEquals(CHAT.size(), endTokens);
    }

    @Test
    void piecewiseEncodingMatchesEncodingTheRenderedText() {
        MaskedTokens encoded = ChatTemplate.own().encode(tokenizer, CHAT);
        assertArrayEquals(tokenizer.encode(ChatTemplate.own().render(CHAT, false)), encoded.ids());
    }

    @Test
    void piecewiseEncodingMatchesWholeEncodingForSingleLeadingWhitespace() {
        for (String content : List.of(" one space", "\nnewline", "\n\ntwo newlines", "x")) {
            List<ChatMessage> chat = List.of(ChatMessage.user(content), ChatMessage.assistant(content));
            assertArrayEquals(
                    tokenizer.encode(ChatTemplate.own().render(chat, false)),
                    ChatTemplate.own().encode(tokenizer, chat).ids(),
                    content);
        }
        // several leading spaces may tokenize differently in one go, but the text is always the rendered one
        List<ChatMessage> spaced = List.of(ChatMessage.assistant("   three spaces"), ChatMessage.user(" "));
        assertEquals(
                ChatTemplate.own().render(spaced, false),
                tokenizer.decode(ChatTemplate.own().encode(tokenizer, spaced).ids()));
    }

    @Test
    void generationPromptIsNotTrained() {
        List<ChatMessage> prompt = CHAT.subList(0, 2);
        MaskedTokens encoded = ChatTemplate.own().encode(tokenizer, prompt, true);
        assertEquals(0, encoded.lossTokens());
        assertEquals(ChatTemplate.own().render(prompt, true), tokenizer.decode(encoded.ids()));
        long assistant = tokenizer.tokenId(SpecialTokens.ASSISTANT).orElseThrow();
        assertEquals(assistant, encoded.ids()[encoded.length() - 2]);
    }

    @Test
    void emptyAssistantContentTrainsOnlyTheEnd() {
        MaskedTokens encoded =
                ChatTemplate.own().encode(tokenizer, List.of(ChatMessage.user("Hi"), ChatMessage.assistant("")));
        assertEquals(1, encoded.lossTokens());
        assertFalse(encoded.lossMask()[encoded.length() - 1], "the newline after <|end|> is not trained");
    }

    @Test
    void unknownRoleIsNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ChatMessage("narrator", "Once upon a time"));
        assertTrue(e.getMessage().contains("'narrator'"), e.getMessage());
    }
}
