package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Llama 3's real tokenizer and chat template, read from {@code RLHF_LLAMA3_TOKENIZER} (Meta's licence keeps the files
 * out of the repository; {@code .ci/run} fetches them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatTemplateLlama3Test {
    private static final List<ChatMessage> CHAT = List.of(
            ChatMessage.system("You are brief."),
            ChatMessage.user("Hi"),
            ChatMessage.assistant(" Hello. "),
            ChatMessage.user("Again?"),
            ChatMessage.assistant("Yes."));

    /** The date and system header of Llama 3.2's template, abridged (no tools), as a second template to render. */
    private static final String LLAMA32_HEADER = "{{- bos_token }}\n"
            + "{%- if not date_string is defined %}\n"
            + "    {%- if strftime_now is defined %}\n"
            + "        {%- set date_string = strftime_now(\"%d %b %Y\") %}\n"
            + "    {%- else %}\n"
            + "        {%- set date_string = \"26 Jul 2024\" %}\n"
            + "    {%- endif %}\n"
            + "{%- endif %}\n"
            + "{%- if messages[0]['role'] == 'system' %}\n"
            + "    {%- set system_message = messages[0]['content']|trim %}\n"
            + "    {%- set messages = messages[1:] %}\n"
            + "{%- else %}\n"
            + "    {%- set system_message = \"\" %}\n"
            + "{%- endif %}\n"
            + "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n"
            + "{{- \"Cutting Knowledge Date: December 2023\\n\" }}\n"
            + "{{- \"Today Date: \" + date_string + \"\\n\\n\" }}\n"
            + "{{- system_message }}\n"
            + "{{- \"<|eot_id|>\" }}\n"
            + "{%- for message in messages %}\n"
            + "    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + "+ message['content'] | trim + '<|eot_id|>' }}\n"
            + "{%- endfor %}\n"
            + "{%- if add_generation_prompt %}\n"
            + "    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n"
            + "{%- endif %}\n";

    private Tokenizer tokenizer;
    private ChatTemplate template;

    @BeforeAll
    void load() {
        tokenizer = Tokenizer.load(TestTokenizers.llama3());
        template = ChatTemplate.of(tokenizer);
    }

    @AfterAll
    void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void rendersHeadersTrimmedContentsAndAlwaysAnAssistantHeaderAtTheEnd() {
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nAgain?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nYes.<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        assertEquals(expected, template.render(CHAT, false));
        assertEquals(expected, template.render(CHAT, true), "this template ignores add_generation_prompt");
    }

    @Test
    void theLossMaskCoversEachReplyThroughEotId() {
        MaskedTokens encoded = template.encode(tokenizer, CHAT);
        assertEquals(List.of("Hello.<|eot_id|>", "Yes.<|eot_id|>"), TestTokenizers.runs(tokenizer, encoded, true));
        assertEquals(
                List.of(
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are brief.<|eot_id|>"
                                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                                + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                        "<|start_header_id|>user<|end_header_id|>\n\nAgain?<|eot_id|>"
                                + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                        "<|start_header_id|>assistant<|end_header_id|>\n\n"),
                TestTokenizers.runs(tokenizer, encoded, false));
        assertEquals(128000, encoded.ids()[0], "<|begin_of_text|> once, from the template");
    }

    @Test
    void generationStopsAtEotIdAndEndOfText() {
        assertEquals("<|eot_id|>", template.endOfTurn());
        assertEquals(Set.of(128009L, 128001L), template.stopIds(tokenizer));
    }

    @Test
    void strftimeNowPrintsTheInjectedDate(@TempDir Path dir) throws IOException {
        Files.writeString(
                TestTokenizers.copy(TestTokenizers.llama3(), dir).resolve("chat_template.jinja"), LLAMA32_HEADER);
        try (Tokenizer llama32 = Tokenizer.load(dir)) {
            ChatTemplate fixed = ChatTemplate.of(llama32)
                    .withClock(Clock.fixed(Instant.parse("2024-07-26T12:00:00Z"), ZoneOffset.UTC));
            assertEquals(
                    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                            + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
                            + "You are brief.<|eot_id|>"
                            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                    fixed.render(CHAT.subList(0, 2), true));
            assertEquals(
                    List.of("Hello.<|eot_id|>", "Yes.<|eot_id|>"),
                    TestTokenizers.runs(llama32, fixed.encode(llama32, CHAT), true));
        }
    }
}
