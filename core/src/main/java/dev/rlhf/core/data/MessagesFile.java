package dev.rlhf.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** A conversation in a file of its own: a JSON list of {@code {"role", "content"}} objects, as chat rows hold them. */
public final class MessagesFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MessagesFile() {}

    /**
     * The messages of {@code file}.
     *
     * @throws DataException naming the file when it is missing, not JSON, not a non-empty list, or a message lacks a
     *     role or content or has an unknown role
     */
    public static List<ChatMessage> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (IOException e) {
            throw new DataException(file + ": not valid JSON: " + e.getMessage().split("\n")[0]);
        }
        ObjectNode row = JSON.createObjectNode();
        row.set("messages", root);
        try {
            return ChatFormat.messages(row, "messages", false);
        } catch (RowException e) {
            throw new DataException(file + ": " + e.getMessage().replace("field 'messages'", "the list"));
        }
    }
}
