package dev.rlhf.gateway.rest;

import static dev.rlhf.gateway.rest.ChatApi.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.gateway.TestRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every bad chat request is refused in OpenAI's error shape ({@code {"error": {"message", "type", "param", "code"}}})
 * with the status and {@code param} OpenAI gives, and the gateway answers a good request afterwards.
 */
@QuarkusTest
@WithTestResource(TestRepository.class)
class ChatCompletionErrorsTest {

    private record Probe(String what, String body, int status, String param) {}

    private static Probe probe(String what, ObjectNode body, int status, String param) {
        return new Probe(what, body.toString(), status, param);
    }

    private static Probe with(String what, Map<String, Object> fields, String param) {
        return probe(what, request("hi", fields), 400, param);
    }

    private static List<Probe> probes() {
        ObjectNode noMessages = request("hi", Map.of());
        noMessages.putArray("messages");
        ObjectNode toolRole = request("hi", Map.of());
        toolRole.putArray("messages").addObject().put("role", "tool").put("content", "x");
        ObjectNode image = request("hi", Map.of());
        ObjectNode part = image.putArray("messages")
                .addObject()
                .put("role", "user")
                .putArray("content")
                .addObject();
        part.put("type", "image_url").putObject("image_url").put("url", "https://example.invalid/cat.png");
        ObjectNode noContent = request("hi", Map.of());
        noContent.putArray("messages").addObject().put("role", "user");
        ObjectNode noModel = request("hi", Map.of());
        noModel.remove("model");
        ObjectNode long_ = request("hi ".repeat(200), Map.of());
        return List.of(
                with("temperature above 2", Map.of("temperature", 2.5), "temperature"),
                with("temperature negative", Map.of("temperature", -0.1), "temperature"),
                with("temperature a string", Map.of("temperature", "hot"), "temperature"),
                with("top_p zero", Map.of("top_p", 0), "top_p"),
                with("top_p above 1", Map.of("top_p", 1.5), "top_p"),
                with("negative max_tokens", Map.of("max_tokens", -1), "max_tokens"),
                with("zero max_completion_tokens", Map.of("max_completion_tokens", 0), "max_completion_tokens"),
                with("max_tokens past the context", Map.of("max_tokens", TestRepository.MAX_SEQUENCE), "max_tokens"),
                with("n zero", Map.of("n", 0), "n"),
                with("n too large", Map.of("n", 100), "n"),
                with("stop not a string", Map.of("stop", 3), "stop"),
                with("five stops", Map.of("stop", List.of("a", "b", "c", "d", "e")), "stop"),
                with("seed not an integer", Map.of("seed", 1.5), "seed"),
                with("stream not a boolean", Map.of("stream", "yes"), "stream"),
                with(
                        "stream_options without stream",
                        Map.of("stream_options", Map.of("include_usage", true)),
                        "stream_options"),
                with("tools", Map.of("tools", List.of(Map.of("type", "function"))), "tools"),
                with("logprobs", Map.of("logprobs", true), "logprobs"),
                with("a penalty", Map.of("presence_penalty", 0.5), "presence_penalty"),
                with("json mode", Map.of("response_format", Map.of("type", "json_object")), "response_format"),
                with("an unknown field", Map.of("temprature", 1), "temprature"),
                probe("no messages", noMessages, 400, "messages"),
                probe("a tool message", toolRole, 400, "messages[0].role"),
                probe("an image", image, 400, "messages[0].content[0]"),
                probe("a message without content", noContent, 400, "messages[0].content"),
                probe("no model", noModel, 400, "model"),
                probe("a prompt past the context", long_, 400, "messages"),
                probe("an unknown model", request("hi", Map.of("model", "gpt-4o")), 404, "model"));
    }

    @Test
    void badRequestsGetOpenAiErrorsNamingTheParam() {
        for (Probe probe : probes()) {
            Response response = ChatApi.post(probe.body());
            assertEquals(probe.status(), response.statusCode(), probe.what() + ": " + response.asString());
            JsonNode error = ChatApi.parse(response.asString()).get("error");
            assertEquals(probe.param(), error.get("param").asText(), probe.what());
            assertFalse(error.get("message").asText().isEmpty(), probe.what());
            assertEquals("invalid_request_error", error.get("type").asText(), probe.what());
            assertTrue(error.has("code"), probe.what());
        }
        Response notJson = ChatApi.post("{not json");
        assertEquals(400, notJson.statusCode());
        assertTrue(ChatApi.parse(notJson.asString()).get("error").get("param").isNull());

        JsonNode fine = ChatApi.complete(request("hi", Map.of("max_tokens", 2)));
        assertEquals(1, fine.get("choices").size());
    }

    @Test
    void offValuesOfUnsupportedFeaturesAreAccepted() {
        ObjectNode body = request(
                "hi",
                Map.of(
                        "max_tokens",
                        2,
                        "logprobs",
                        false,
                        "presence_penalty",
                        0,
                        "frequency_penalty",
                        0.0,
                        "user",
                        "someone",
                        "response_format",
                        Map.of("type", "text")));
        body.putArray("tools");
        body.putArray("messages").addObject().put("role", "developer").put("content", "be brief");
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("messages"))
                .addObject()
                .put("role", "user")
                .putArray("content")
                .addObject()
                .put("type", "text")
                .put("text", "hi");
        assertEquals(1, ChatApi.complete(body).get("choices").size());
    }
}
