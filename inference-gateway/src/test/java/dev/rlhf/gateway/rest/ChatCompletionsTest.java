package dev.rlhf.gateway.rest;

import static dev.rlhf.gateway.rest.ChatApi.complete;
import static dev.rlhf.gateway.rest.ChatApi.request;
import static dev.rlhf.gateway.rest.ChatApi.stream;
import static dev.rlhf.gateway.rest.ChatApi.streamedText;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.TestRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/chat/completions} and {@code GET /v1/models} over real HTTP on the test policy: answers equal core's
 * {@link Generator} on the prompt the model's chat template renders, usage counts its tokens, and streamed deltas join
 * into the non-streamed text.
 */
@QuarkusTest
@WithTestResource(TestRepository.class)
class ChatCompletionsTest {

    private static final String USER = "write a response";

    @Test
    void answersWithTheGeneratorsTextAndCountsTokensAsTheTokenizer() throws Exception {
        List<ChatMessage> messages = List.of(ChatMessage.system("be brief"), ChatMessage.user(USER));
        Generation expected;
        long[] prompt;
        String expectedText;
        try (Tokenizer tokenizer = Tokenizer.load(GatewayTestClient.policy());
                LanguageModel lm = HfCheckpoint.load(GatewayTestClient.policy())) {
            ChatTemplate template = ChatTemplate.of(tokenizer);
            prompt = template.encode(tokenizer, messages, true).ids();
            expected = new Generator(lm, null)
                    .generate(List.of(prompt), SamplingConfig.greedy(12).withStopTokens(template.stopIds(tokenizer)))
                    .get(0);
            expectedText = tokenizer.decode(expected.tokens(), true);
        }
        var body = request(USER, Map.of("temperature", 0, "max_tokens", 12));
        body.putArray("messages")
                .add(ChatApi.JSON.valueToTree(Map.of("role", "system", "content", "be brief")))
                .add(ChatApi.JSON.valueToTree(Map.of("role", "user", "content", USER)));
        JsonNode answer = complete(body);

        assertEquals("chat.completion", answer.get("object").asText());
        assertTrue(answer.get("id").asText().startsWith("chatcmpl-"));
        assertEquals("policy", answer.get("model").asText());
        JsonNode choice = answer.get("choices").get(0);
        assertEquals(0, choice.get("index").asInt());
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertEquals(expectedText, choice.get("message").get("content").asText());
        String finish = expected.finishReason() == Generation.FinishReason.LENGTH ? "length" : "stop";
        assertEquals(finish, choice.get("finish_reason").asText());
        JsonNode usage = answer.get("usage");
        assertEquals(prompt.length, usage.get("prompt_tokens").asInt());
        assertEquals(expected.tokens().length, usage.get("completion_tokens").asInt());
        assertEquals(
                prompt.length + expected.tokens().length,
                usage.get("total_tokens").asInt());
    }

    @Test
    void aSeedMakesSamplingReproducible() {
        var body = request(USER, Map.of("temperature", 1.5, "max_tokens", 16, "seed", 7));
        String first = text(complete(body), 0);
        assertEquals(first, text(complete(body), 0));
        assertNotEquals(first, text(complete(body.put("seed", 8)), 0));
    }

    @Test
    void streamedDeltasJoinIntoTheNonStreamedTextAndEndWithDone() {
        var body = request(USER, Map.of("temperature", 1.2, "max_tokens", 20, "seed", 11));
        JsonNode whole = complete(body.deepCopy());
        body.putObject("stream_options").put("include_usage", true);
        List<JsonNode> chunks = stream(body);

        JsonNode first = chunks.get(0);
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertEquals(
                "assistant",
                first.get("choices").get(0).get("delta").get("role").asText());
        for (JsonNode chunk : chunks) {
            assertEquals(first.get("id"), chunk.get("id"), "one id for every chunk");
        }
        assertEquals(text(whole, 0), streamedText(chunks, 0));
        JsonNode finish = chunks.get(chunks.size() - 2).get("choices").get(0);
        assertEquals(whole.get("choices").get(0).get("finish_reason"), finish.get("finish_reason"));
        assertTrue(finish.get("delta").isEmpty());
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertTrue(usageChunk.get("choices").isEmpty());
        assertEquals(whole.get("usage"), usageChunk.get("usage"));
        assertTrue(first.get("usage").isNull(), "with include_usage every other chunk has usage null");
    }

    @Test
    void aStreamWithoutIncludeUsageHasNoUsage() {
        List<JsonNode> chunks = stream(request(USER, Map.of("max_tokens", 4, "seed", 1)));
        chunks.forEach(chunk -> assertFalse(chunk.has("usage"), chunk.toString()));
        assertFalse(chunks.get(chunks.size() - 1).get("choices").isEmpty());
    }

    @Test
    void nChoicesAreSampledTogetherAndCountedInUsage() {
        var body = request(USER, Map.of("n", 2, "temperature", 1.5, "max_tokens", 16, "seed", 3));
        JsonNode answer = complete(body);
        JsonNode choices = answer.get("choices");
        assertEquals(2, choices.size());
        assertEquals(1, choices.get(1).get("index").asInt());
        assertNotEquals(text(answer, 0), text(answer, 1));
        assertEquals(answer, withoutIdAndTime(complete(body), answer));

        List<JsonNode> chunks = stream(body);
        assertEquals(text(answer, 0), streamedText(chunks, 0));
        assertEquals(text(answer, 1), streamedText(chunks, 1));
        int tokens = answer.get("usage").get("completion_tokens").asInt();
        assertTrue(tokens > 16 && tokens <= 32, "both choices counted: " + tokens);
    }

    @Test
    void stopStringsCutTheTextBeforeThem() {
        var body = request(USER, Map.of("temperature", 1.5, "max_tokens", 24, "seed", 5));
        String full = text(complete(body), 0);
        assertTrue(full.length() > 8, full);
        String stop = full.substring(4, 7);
        String expected = full.substring(0, full.indexOf(stop));

        body.putArray("stop").add(stop).add("never appears here");
        JsonNode cut = complete(body);
        assertEquals(expected, text(cut, 0));
        assertEquals("stop", cut.get("choices").get(0).get("finish_reason").asText());
        assertEquals(expected, streamedText(stream(body), 0));

        body.put("stop", stop);
        assertEquals(expected, text(complete(body), 0), "stop as one string");
    }

    @Test
    void listsTheServedPolicy() {
        JsonNode list = ChatApi.parse(
                given().get("/v1/models").then().statusCode(200).extract().asString());
        assertEquals("list", list.get("object").asText());
        assertEquals(1, list.get("data").size());
        JsonNode model = list.get("data").get(0);
        assertEquals("policy", model.get("id").asText());
        assertEquals("model", model.get("object").asText());
        assertEquals(TestRepository.MAX_SEQUENCE, model.get("max_model_len").asInt());
        assertEquals(
                model,
                ChatApi.parse(given().get("/v1/models/policy")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString()));
        JsonNode unknown = ChatApi.parse(
                given().get("/v1/models/nope").then().statusCode(404).extract().asString());
        assertEquals("model_not_found", unknown.get("error").get("code").asText());
    }

    private static String text(JsonNode answer, int choice) {
        return answer.get("choices").get(choice).get("message").get("content").asText();
    }

    /** {@code other} with {@code answer}'s id and creation time, to compare the rest. */
    private static JsonNode withoutIdAndTime(JsonNode other, JsonNode answer) {
        var copy = (com.fasterxml.jackson.databind.node.ObjectNode) other.deepCopy();
        copy.set("id", answer.get("id"));
        copy.set("created", answer.get("created"));
        return copy;
    }
}
