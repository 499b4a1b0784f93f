package dev.rlhf.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Chat-completion calls over HTTP (rest-assured on the test port) and the parsing of their answers. */
final class ChatApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private ChatApi() {}

    /** A request for the test policy with one user message; {@code fields} override or add. */
    static ObjectNode request(String user, Map<String, Object> fields) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "policy");
        body.putArray("messages").addObject().put("role", "user").put("content", user);
        fields.forEach((key, value) -> body.set(key, JSON.valueToTree(value)));
        return body;
    }

    static Response post(Object body) {
        return given().contentType("application/json")
                .body(body.toString())
                .when()
                .post("/v1/chat/completions");
    }

    /** A non-streamed answer, checked to be 200. */
    static JsonNode complete(ObjectNode body) {
        Response response = post(body);
        assertEquals(200, response.statusCode(), response.asString());
        return parse(response.asString());
    }

    /** A streamed answer: the {@code data:} payloads before {@code [DONE]}, checked to end with it. */
    static List<JsonNode> stream(ObjectNode body) {
        Response response = post(body.deepCopy().put("stream", true));
        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("text/event-stream"), response.contentType());
        String[] events = response.asString().split("\n\n", -1);
        List<JsonNode> chunks = new ArrayList<>();
        assertEquals("", events[events.length - 1], "the stream ends with a blank line");
        assertEquals("data: [DONE]", events[events.length - 2]);
        for (int i = 0; i < events.length - 2; i++) {
            assertTrue(events[i].startsWith("data: "), events[i]);
            chunks.add(parse(events[i].substring("data: ".length())));
        }
        return chunks;
    }

    /** The content deltas of choice {@code index}, joined. */
    static String streamedText(List<JsonNode> chunks, int index) {
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks) {
            for (JsonNode choice : chunk.get("choices")) {
                if (choice.get("index").asInt() == index && choice.path("delta").has("content")) {
                    text.append(choice.get("delta").get("content").asText());
                }
            }
        }
        return text.toString();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }
}
