package dev.rlhf.gateway.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.gateway.service.ChatCompletions;
import java.util.List;

/**
 * The OpenAI wire objects the gateway sends: {@code chat.completion}, {@code chat.completion.chunk}, the model list
 * and the error body, with the fields OpenAI's reference lists (nullable ones present as null, as clients that parse
 * strictly expect).
 */
public final class OpenAiJson {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** Who owns the served models, in {@code /v1/models}. */
    private static final String OWNER = "rlhf";

    private OpenAiJson() {}

    /** What every answer to one request shares. */
    public record Header(String id, long created, String model) {}

    public static ObjectNode completion(
            Header header, List<String> texts, List<ChatCompletions.Finish> finishes, ChatCompletions.Usage usage) {
        ObjectNode root = start(header, "chat.completion");
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", texts.get(i));
            message.putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason(finishes.get(i)));
        }
        root.set("usage", usage(usage));
        return root;
    }

    /** The first chunk of a choice: its role and empty content. */
    public static ObjectNode roleChunk(Header header, int choice, boolean usageField) {
        ObjectNode root = chunk(header, usageField);
        ObjectNode delta = choice(root, choice, null);
        delta.put("role", "assistant");
        delta.put("content", "");
        return root;
    }

    public static ObjectNode contentChunk(Header header, int choice, String text, boolean usageField) {
        ObjectNode root = chunk(header, usageField);
        choice(root, choice, null).put("content", text);
        return root;
    }

    public static ObjectNode finishChunk(Header header, int choice, ChatCompletions.Finish finish, boolean usageField) {
        ObjectNode root = chunk(header, usageField);
        choice(root, choice, finishReason(finish));
        return root;
    }

    /** The chunk {@code stream_options.include_usage} adds last: no choices, the usage of the whole request. */
    public static ObjectNode usageChunk(Header header, ChatCompletions.Usage usage) {
        ObjectNode root = start(header, "chat.completion.chunk");
        root.putArray("choices");
        root.set("usage", usage(usage));
        return root;
    }

    public static ObjectNode model(String id, long created, int maxModelLength) {
        ObjectNode model = JSON.createObjectNode();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", created);
        model.put("owned_by", OWNER);
        model.put("max_model_len", maxModelLength);
        return model;
    }

    public static ObjectNode modelList(List<ObjectNode> models) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        root.putArray("data").addAll(models);
        return root;
    }

    /** {@code {"error": {"message", "type", "param", "code"}}}. */
    public static ObjectNode error(String message, String type, String param, String code) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }

    private static ObjectNode chunk(Header header, boolean usageField) {
        ObjectNode root = start(header, "chat.completion.chunk");
        root.putArray("choices");
        if (usageField) {
            root.putNull("usage");
        }
        return root;
    }

    /** Adds a chunk's choice and returns its (empty) delta. */
    private static ObjectNode choice(ObjectNode chunk, int index, String finishReason) {
        ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
        choice.put("index", index);
        ObjectNode delta = choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return delta;
    }

    private static ObjectNode start(Header header, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", header.id());
        root.put("object", object);
        root.put("created", header.created());
        root.put("model", header.model());
        root.putNull("system_fingerprint");
        return root;
    }

    private static ObjectNode usage(ChatCompletions.Usage usage) {
        ObjectNode node = JSON.createObjectNode();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }

    private static String finishReason(ChatCompletions.Finish finish) {
        return finish == ChatCompletions.Finish.LENGTH ? "length" : "stop";
    }
}
