package dev.rlhf.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.gateway.service.ChatQuery;
import dev.rlhf.gateway.service.GatewayException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An OpenAI {@code POST /v1/chat/completions} body as a {@link ChatQuery}, each field checked as OpenAI checks it;
 * every refusal is a {@link GatewayException.InvalidRequest} naming the field ({@code param}). Features the gateway
 * does not have (tools, log-probs, images, penalties) are refused by name rather than ignored, and so is any field
 * OpenAI's API does not define.
 */
public final class ChatRequestParser {

    /** A parsed request: what to generate and how to answer. */
    public record ChatRequest(ChatQuery query, boolean stream, boolean includeUsage) {}

    /** Fields taken as they are, with no effect on the answer. */
    private static final Set<String> IGNORED = Set.of("user", "store", "metadata", "service_tier");

    /** Fields accepted only at the value that means "off". */
    private static final Map<String, String> OFF_ONLY = Map.of(
            "logprobs", "log-probs are not returned",
            "top_logprobs", "log-probs are not returned",
            "presence_penalty", "penalties are not supported",
            "frequency_penalty", "penalties are not supported",
            "logit_bias", "logit_bias is not supported",
            "tools", "tools / function calling are not supported",
            "tool_choice", "tools / function calling are not supported",
            "parallel_tool_calls", "tools / function calling are not supported",
            "functions", "function calling is not supported",
            "function_call", "function calling is not supported");

    private static final Set<String> KNOWN = Set.of(
            "model",
            "messages",
            "max_tokens",
            "max_completion_tokens",
            "temperature",
            "top_p",
            "top_k",
            "seed",
            "stop",
            "n",
            "stream",
            "stream_options",
            "response_format");

    private static final int MAX_STOPS = 4;

    private ChatRequestParser() {}

    public static ChatRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(null, "the request body must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            if (OFF_ONLY.containsKey(key)) {
                if (!isOff(field.getValue())) {
                    throw invalid(key, key + ": " + OFF_ONLY.get(key) + " by this server");
                }
            } else if (!KNOWN.contains(key) && !IGNORED.contains(key)) {
                throw invalid(key, "Unrecognized request argument supplied: " + key);
            }
        }
        JsonNode format = body.get("response_format");
        if (format != null
                && !format.isNull()
                && !"text".equals(format.path("type").asText())) {
            throw invalid("response_format", "response_format: only {\"type\": \"text\"} is supported");
        }
        boolean stream = bool(body, "stream");
        JsonNode options = body.get("stream_options");
        boolean includeUsage = false;
        if (options != null && !options.isNull()) {
            if (!stream) {
                throw invalid("stream_options", "stream_options: only allowed when stream is true");
            }
            if (!options.isObject()) {
                throw invalid("stream_options", "stream_options: expected an object");
            }
            includeUsage = bool(options, "include_usage");
        }
        OptionalInt maxCompletion = positiveInt(body, "max_completion_tokens");
        OptionalInt maxTokens = maxCompletion.isPresent() ? maxCompletion : positiveInt(body, "max_tokens");
        OptionalInt n = positiveInt(body, "n");
        OptionalDouble temperature = number(body, "temperature");
        if (temperature.isPresent() && !(temperature.getAsDouble() >= 0 && temperature.getAsDouble() <= 2)) {
            throw invalid("temperature", "temperature: must be in [0, 2], got " + temperature.getAsDouble());
        }
        OptionalDouble topP = number(body, "top_p");
        if (topP.isPresent() && !(topP.getAsDouble() > 0 && topP.getAsDouble() <= 1)) {
            throw invalid("top_p", "top_p: must be in (0, 1], got " + topP.getAsDouble());
        }
        ChatQuery query = new ChatQuery(
                model(body),
                messages(body.get("messages")),
                maxTokens,
                maxCompletion.isPresent() ? "max_completion_tokens" : "max_tokens",
                temperature,
                topP,
                topK(body),
                seed(body),
                stop(body.get("stop")),
                n.orElse(1));
        return new ChatRequest(query, stream, includeUsage);
    }

    private static String model(JsonNode body) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isEmpty()) {
            throw invalid("model", "model: required, the name of a served model (GET /v1/models)");
        }
        return model.asText();
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            throw invalid("messages", "messages: required, a list of {\"role\", \"content\"}");
        }
        if (messages.isEmpty()) {
            throw invalid("messages", "messages: must contain at least one message");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static ChatMessage message(JsonNode message, String where) {
        if (!message.isObject()) {
            throw invalid(where, where + ": expected an object with role and content");
        }
        for (String tools : List.of("tool_calls", "function_call", "tool_call_id")) {
            if (message.has(tools) && !message.get(tools).isNull()) {
                throw invalid(where + "." + tools, where + "." + tools + ": tools are not supported by this server");
            }
        }
        JsonNode roleNode = message.get("role");
        String role = roleNode == null ? "" : roleNode.asText();
        if ("developer".equals(role)) {
            role = "system";
        }
        if (!ChatMessage.ROLES.contains(role)) {
            throw invalid(
                    where + ".role",
                    where + ".role: unknown role '" + role + "' (expected system, developer, user or assistant)");
        }
        return new ChatMessage(role, content(message.get("content"), where + ".content"));
    }

    /** A string, or a list of text parts (joined); image, audio and file parts are refused. */
    private static String content(JsonNode content, String where) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray()) {
            throw invalid(where, where + ": expected a string or a list of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = part.path("type").asText();
            if (!"text".equals(type) || !part.path("text").isTextual()) {
                throw invalid(
                        where + "[" + i + "]",
                        where + "[" + i + "]: only text parts are supported (got type '" + type + "')");
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : stop.isArray() ? stop : List.of(stop)) {
            if (!s.isTextual() || s.asText().isEmpty()) {
                throw invalid("stop", "stop: expected a non-empty string or a list of them, got " + stop);
            }
            out.add(s.asText());
        }
        if (out.size() > MAX_STOPS) {
            throw invalid("stop", "stop: at most " + MAX_STOPS + " sequences, got " + out.size());
        }
        return out;
    }

    private static OptionalInt topK(JsonNode body) {
        JsonNode node = body.get("top_k");
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < -1) {
            throw invalid("top_k", "top_k: expected an integer >= -1 (-1 or 0 keep every token), got " + node);
        }
        return OptionalInt.of(Math.max(0, node.asInt()));
    }

    private static OptionalLong seed(JsonNode body) {
        JsonNode node = body.get("seed");
        if (node == null || node.isNull()) {
            return OptionalLong.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid("seed", "seed: expected an integer, got " + node);
        }
        return OptionalLong.of(node.asLong());
    }

    private static OptionalInt positiveInt(JsonNode body, String key) {
        JsonNode node = body.get(key);
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
            throw invalid(key, key + ": expected an integer >= 1, got " + node);
        }
        return OptionalInt.of(node.asInt());
    }

    private static OptionalDouble number(JsonNode body, String key) {
        JsonNode node = body.get(key);
        if (node == null || node.isNull()) {
            return OptionalDouble.empty();
        }
        if (!node.isNumber()) {
            throw invalid(key, key + ": expected a number, got " + node);
        }
        return OptionalDouble.of(node.asDouble());
    }

    private static boolean bool(JsonNode body, String key) {
        JsonNode node = body.get(key);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(key, key + ": expected true or false, got " + node);
        }
        return node.asBoolean();
    }

    /** null, false, 0, an empty list or object: the feature is not asked for. */
    private static boolean isOff(JsonNode value) {
        return value.isNull()
                || (value.isBoolean() && !value.asBoolean())
                || (value.isNumber() && value.asDouble() == 0)
                || (value.isContainerNode() && value.isEmpty())
                || (value.isTextual() && "none".equals(value.asText()));
    }

    private static GatewayException.InvalidRequest invalid(String param, String message) {
        return new GatewayException.InvalidRequest(param, message);
    }
}
