package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's (conversation, reply) layout: the project's template byte for byte as before, and Qwen3's real one. */
class ChatLayoutTest {
    private static final String QWEN3_PROMPT = "<|im_start|>user\n%s<|im_end|>\n<|im_start|>assistant\n";

    private static Tokenizer ours(Path dir) throws IOException {
        Path corpus = Files.writeString(
                dir.resolve("corpus.txt"), "the cat sat on the mat. the dog sat on the log. ".repeat(20));
        TokenizerJsonWriter.write(BpeTrainer.train(List.of(corpus), BpeTrainer.minimumVocabSize() + 20), dir);
        return Tokenizer.load(dir);
    }

    private static long[] concat(long[]... pieces) {
        return Arrays.stream(pieces).flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void theProjectsTemplateLaysOutTextAndContentIdsAsBefore(@TempDir Path dir) throws IOException {
        try (Tokenizer tokenizer = ours(dir)) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            String prompt = "Where did the cat sit?";
            String response = "On the mat, café 😀.";
            long[] ids = layout.reply(prompt, response);
            assertEquals(
                    "<|user|>\n" + prompt + "<|end|>\n<|assistant|>\n" + response + "<|end|>\n", tokenizer.decode(ids));
            assertArrayEquals(
                    ChatTemplate.own()
                            .encode(tokenizer, List.of(ChatMessage.user(prompt), ChatMessage.assistant(response)))
                            .ids(),
                    ids);
            assertArrayEquals(ids, layout.replyOfContentIds(tokenizer.encode(prompt), tokenizer.encode(response)));
        }
    }

    @Test
    void theProjectsGenerationPromptKeepsItsRoleTokensAndCutsTheContentFromTheLeft(@TempDir Path dir)
            throws IOException {
        try (Tokenizer tokenizer = ours(dir)) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            String prompt = "the cat sat on the mat. where did the dog sit?";
            long[] content = tokenizer.encode(prompt);
            long[] head = tokenizer.encode("<|user|>\n");
            long[] tail = concat(
                    tokenizer.encode(SpecialTokens.END_OF_TURN),
                    tokenizer.encode("\n"),
                    tokenizer.encode("<|assistant|>\n"));
            ChatLayout.Prompt whole = layout.prompt(prompt, 100);
            assertArrayEquals(concat(head, content, tail), whole.ids());
            assertEquals(prompt, whole.user());

            long[] last5 = Arrays.copyOfRange(content, content.length - 5, content.length);
            ChatLayout.Prompt cut = layout.prompt(prompt, 5);
            assertArrayEquals(concat(head, last5, tail), cut.ids());
            assertEquals(tokenizer.decode(last5), cut.user());

            long[] sampled = concat(tokenizer.encode("on the log."), tokenizer.encode(SpecialTokens.END_OF_TURN));
            assertArrayEquals(
                    layout.replyOfContentIds(last5, tokenizer.encode("on the log.")),
                    layout.reply(cut.ids(), sampled),
                    "a sampled reply closes as the trainer's layout, end-of-turn and newline");
        }
    }

    @Test
    void qwen3sPolicyContinuesExactlyTheGenerationPromptRender() {
        try (Tokenizer tokenizer = Tokenizer.load(TestTokenizers.qwen3())) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            String prompt = "How far is the moon?";
            String render = layout.template().render(List.of(ChatMessage.user(prompt)), true);
            assertEquals(QWEN3_PROMPT.formatted(prompt), render);
            ChatLayout.Prompt asked = layout.prompt(prompt, 100);
            assertArrayEquals(tokenizer.encode(render), asked.ids());
            assertEquals(prompt, asked.user());
        }
    }

    @Test
    void aLongQwen3PromptLosesContentTokensNeverTemplateTokens() {
        try (Tokenizer tokenizer = Tokenizer.load(TestTokenizers.qwen3())) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            String prompt = "Tell me, in a few words, how far the moon is from the earth on an ordinary night.";
            long[] content = tokenizer.encode(prompt);
            long[] full = layout.prompt(prompt, 1000).ids();

            ChatLayout.Prompt cut = layout.prompt(prompt, 4);
            long[] last4 = Arrays.copyOfRange(content, content.length - 4, content.length);
            assertEquals(full.length - content.length + 4, cut.ids().length);
            assertEquals(QWEN3_PROMPT.formatted(tokenizer.decode(last4)), tokenizer.decode(cut.ids()));
            assertEquals(tokenizer.decode(last4), cut.user());
        }
    }

    @Test
    void aQwen3ReplyEndingInImEndIsClosedAsTheTemplateClosesIt() {
        try (Tokenizer tokenizer = Tokenizer.load(TestTokenizers.qwen3())) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            long imEnd = tokenizer.tokenId("<|im_end|>").getAsInt();
            assertEquals(imEnd, layout.endOfTurnId());
            ChatLayout.Prompt asked = layout.prompt("Hi", 100);
            long[] written = tokenizer.encode("<think>\n\n</think>\n\nHello.");
            long[] sampled = concat(written, new long[] {imEnd});
            assertArrayEquals(written, layout.withoutEnd(sampled));

            long[] rendered = layout.reply("Hi", "Hello.");
            assertEquals(
                    QWEN3_PROMPT.formatted("Hi") + "<think>\n\n</think>\n\nHello.<|im_end|>\n",
                    tokenizer.decode(rendered));
            assertArrayEquals(rendered, layout.reply(asked.ids(), sampled));
            assertArrayEquals(rendered, layout.reply(asked.ids(), written), "a reply cut by the budget is closed too");
        }
    }

    @Test
    void aPromptTheTemplateRewritesIsKeptWholeWhenItFitsAndRefusedWhenItMustBeCut(@TempDir Path dir)
            throws IOException {
        Path model = TestTokenizers.copy(TestTokenizers.qwen3(), dir);
        Files.writeString(
                model.resolve("chat_template.jinja"),
                "{% for m in messages %}<|im_start|>{{ m.role }}\n"
                        + "{{ m.content | upper if m.role == 'user' else m.content }}<|im_end|>\n{% endfor %}"
                        + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
        try (Tokenizer tokenizer = Tokenizer.load(model)) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            assertEquals(
                    QWEN3_PROMPT.formatted("HELLO THERE"),
                    tokenizer.decode(layout.prompt("hello there", 100).ids()));
            ChatTemplateException e =
                    assertThrows(ChatTemplateException.class, () -> layout.prompt("hello there, my friend", 2));
            assertTrue(e.getMessage().contains("chat_template.jinja"), e.getMessage());
            assertTrue(e.getMessage().contains("does not render it verbatim"), e.getMessage());
        }
    }

    @Test
    void contentIdsAreRefusedForATemplateOtherThanTheProjects(@TempDir Path dir) throws IOException {
        try (Tokenizer qwen3 = Tokenizer.load(TestTokenizers.qwen3());
                Tokenizer ours = ours(dir)) {
            ChatLayout layout = ChatLayout.of(qwen3);
            ChatTemplateException e = assertThrows(
                    ChatTemplateException.class,
                    () -> layout.replyOfContentIds(qwen3.encode("Hi"), qwen3.encode("Hello.")));
            assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
            assertTrue(e.getMessage().contains("needs the texts"), e.getMessage());
            assertFalse(layout.sameAs(ChatLayout.of(ours)));
            assertTrue(ChatLayout.of(ours).sameAs(ChatLayout.of(ours)));
        }
    }
}
