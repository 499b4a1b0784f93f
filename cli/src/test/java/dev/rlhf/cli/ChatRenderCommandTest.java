package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChatRenderCommandTest {

    /**
     * Qwen3's real tokenizer, from core's test resources in the source tree: inside core's test jar it is no
     * directory a command could be given.
     */
    private static final Path QWEN3 = Path.of("..", "core", "src", "test", "resources", "tokenizers", "qwen3");

    private static final String CHAT =
            "[{\"role\": \"user\", \"content\": \"Hi\"}," + " {\"role\": \"assistant\", \"content\": \"Hello.\"}]";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = RlhfCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 2];
        full[0] = "chat";
        full[1] = "render";
        System.arraycopy(args, 0, full, 2, args.length);
        return cli.execute(full);
    }

    @Test
    void printsTextIdsAndLossMaskAsOneJsonLine(@TempDir Path dir) throws IOException {
        Path messages = Files.writeString(dir.resolve("chat.json"), CHAT);
        assertEquals(0, run("--tokenizer", QWEN3.toString(), "--messages", messages.toString()));
        String text =
                "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello.<|im_end|>\n";
        assertEquals(1, out.toString().lines().count());
        JsonNode line = new ObjectMapper().readTree(out.toString());
        assertEquals(text, line.get("text").asText());
        try (Tokenizer tokenizer = Tokenizer.load(QWEN3)) {
            long[] ids = tokenizer.encode(text);
            assertEquals(ids.length, line.get("ids").size());
            StringBuilder trained = new StringBuilder();
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i], line.get("ids").get(i).asLong());
                if (line.get("loss_mask").get(i).asInt() == 1) {
                    trained.append(tokenizer.decode(new long[] {ids[i]}));
                }
            }
            assertEquals("<think>\n\n</think>\n\nHello.<|im_end|>", trained.toString());
        }
    }

    @Test
    void theGenerationPromptIsNotTrained(@TempDir Path dir) throws IOException {
        Path messages = Files.writeString(dir.resolve("q.json"), "[{\"role\": \"user\", \"content\": \"Hi\"}]");
        assertEquals(
                0, run("--tokenizer", QWEN3.toString(), "--messages", messages.toString(), "--add-generation-prompt"));
        JsonNode line = new ObjectMapper().readTree(out.toString());
        assertEquals(
                "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                line.get("text").asText());
        line.get("loss_mask").forEach(bit -> assertEquals(0, bit.asInt()));
    }

    @Test
    void aTokenizerWithoutTemplateIsOneLineAndExit2(@TempDir Path dir) throws IOException {
        Path messages = Files.writeString(dir.resolve("chat.json"), CHAT);
        Path bare = Files.createDirectory(dir.resolve("bare"));
        Files.copy(QWEN3.resolve("tokenizer.json"), bare.resolve("tokenizer.json"));
        assertEquals(2, run("--tokenizer", bare.toString(), "--messages", messages.toString()));
        assertEquals(
                "rlhf: error: " + bare.toAbsolutePath() + ": no chat template: neither chat_template.jinja nor a "
                        + "chat_template in tokenizer_config.json (chat data needs the model's template)",
                err.toString().strip());
        assertEquals("", out.toString());
    }

    @Test
    void aBadMessagesFileIsOneLineNamingItAndExit2(@TempDir Path dir) throws IOException {
        Path messages = Files.writeString(dir.resolve("chat.json"), "[{\"role\": \"narrator\", \"content\": \"x\"}]");
        assertEquals(2, run("--tokenizer", QWEN3.toString(), "--messages", messages.toString()));
        String message = err.toString().strip();
        assertTrue(message.startsWith("rlhf: error: " + messages + ": "), message);
        assertTrue(message.contains("'narrator'"), message);
        assertEquals(1, message.lines().count());
    }
}
