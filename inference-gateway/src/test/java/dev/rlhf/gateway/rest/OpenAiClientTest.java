package dev.rlhf.gateway.rest;

import static dev.rlhf.gateway.rest.ChatApi.complete;
import static dev.rlhf.gateway.rest.ChatApi.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.rlhf.gateway.TestRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java client, unmodified, pointed at the gateway: models, a completion, a stream, errors. */
@QuarkusTest
@WithTestResource(TestRepository.class)
class OpenAiClientTest {

    private static OpenAIClient client;

    @BeforeAll
    static void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + port + "/v1")
                .apiKey("unused")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static ChatCompletionCreateParams.Builder params() {
        return ChatCompletionCreateParams.builder()
                .model("policy")
                .addSystemMessage("be brief")
                .addUserMessage("write a response")
                .maxCompletionTokens(12)
                .temperature(1.3)
                .seed(21);
    }

    @Test
    void listsModelsCompletesAndStreamsAsOurOwnParsingSees() {
        assertEquals(
                List.of("policy"),
                client.models().list().data().stream().map(m -> m.id()).toList());

        ChatCompletion completion = client.chat().completions().create(params().build());
        JsonNode raw = complete(rawTwin());
        String text = raw.get("choices").get(0).get("message").get("content").asText();
        assertEquals(text, completion.choices().get(0).message().content().orElseThrow());
        assertEquals(
                raw.get("usage").get("completion_tokens").asLong(),
                completion.usage().orElseThrow().completionTokens());
        assertEquals(
                raw.get("choices").get(0).get("finish_reason").asText(),
                completion.choices().get(0).finishReason().asString());

        StringBuilder streamed = new StringBuilder();
        long[] usage = {-1};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(params().streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertEquals(text, streamed.toString());
        assertEquals(completion.usage().orElseThrow().completionTokens(), usage[0]);
    }

    @Test
    void errorsReachTheClientWithTheirParam() {
        BadRequestException bad = assertThrows(
                BadRequestException.class,
                () -> client.chat()
                        .completions()
                        .create(params().temperature(3.0).build()));
        assertEquals("temperature", bad.param().orElseThrow());
        assertEquals("invalid_request_error", bad.type().orElseThrow());
        NotFoundException unknown = assertThrows(
                NotFoundException.class,
                () -> client.chat()
                        .completions()
                        .create(params().model("gpt-4o").build()));
        assertEquals("model_not_found", unknown.code().orElseThrow());
    }

    /** The same request as {@link #params()}, written by hand. */
    private static com.fasterxml.jackson.databind.node.ObjectNode rawTwin() {
        var body = request("write a response", Map.of("max_completion_tokens", 12, "temperature", 1.3, "seed", 21));
        body.putArray("messages")
                .add(ChatApi.JSON.valueToTree(Map.of("role", "system", "content", "be brief")))
                .add(ChatApi.JSON.valueToTree(Map.of("role", "user", "content", "write a response")));
        return body;
    }
}
