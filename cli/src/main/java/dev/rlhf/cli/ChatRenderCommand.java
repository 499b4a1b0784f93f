package dev.rlhf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.data.MessagesFile;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.MaskedTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints one JSON line, {@code {"text": ..., "ids": [...], "loss_mask": [...]}}: a conversation rendered with the
 * tokenizer's chat template, its tokens, and 1 where SFT takes the loss.
 */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = "Render a conversation with a model's chat template: text, token ids and the SFT loss mask.")
final class ChatRenderCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(
            names = "--tokenizer",
            required = true,
            description = "Directory (or tokenizer.json) with tokenizer_config.json or chat_template.jinja.")
    Path tokenizerPath;

    @Option(names = "--messages", required = true, description = "JSON file: a list of {\"role\", \"content\"}.")
    Path messagesFile;

    @Option(names = "--add-generation-prompt", description = "End with the opening of an assistant turn.")
    boolean addGenerationPrompt;

    @Override
    public Integer call() throws Exception {
        List<ChatMessage> messages = MessagesFile.read(messagesFile);
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerPath)) {
            ChatTemplate template = ChatTemplate.of(tokenizer);
            MaskedTokens encoded = template.encode(tokenizer, messages, addGenerationPrompt);
            ObjectNode line = JSON.createObjectNode();
            line.put("text", template.render(messages, addGenerationPrompt));
            ArrayNode ids = line.putArray("ids");
            ArrayNode mask = line.putArray("loss_mask");
            for (int i = 0; i < encoded.length(); i++) {
                ids.add(encoded.ids()[i]);
                mask.add(encoded.lossMask()[i] ? 1 : 0);
            }
            spec.commandLine().getOut().println(JSON.writeValueAsString(line));
        }
        return 0;
    }
}
