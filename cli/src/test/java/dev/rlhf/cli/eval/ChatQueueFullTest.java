package dev.rlhf.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.eval.JudgeUnreachableException;
import dev.rlhf.core.eval.LlmJudgeConfig;
import dev.rlhf.core.eval.OpenAiChatClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway with {@code gateway.policy.max-queue=1}: while one chat completion runs, the next is refused with
 * 429 in the OpenAI error shape (its own JVM, so no Quarkus test profile has to load PyTorch a second time), and the
 * evaluation's judge client reports that refusal, after its retries, naming the URL. Once the first completes, the
 * next is served.
 */
class ChatQueueFullTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFullQueueIsA429ThatTheJudgeClientReportsNamingTheUrl() throws Exception {
        Path model = TinyModels.model(dir, TinyModels.tokenizer(dir), 5, "policy");
        try (JudgeGateway gateway =
                JudgeGateway.start(model, "policy", dir.resolve("gateway.log"), "-Dgateway.policy.max-queue=1")) {
            HttpClient http = HttpClient.newHttpClient();
            // 8 choices of 100 tokens, streamed: admitted, and still generating when its first chunk arrives
            HttpResponse<InputStream> running = http.send(
                    post(
                            gateway,
                            "{\"model\": \"policy\", \"messages\": [{\"role\": \"user\", \"content\": \"a\"}],"
                                    + " \"max_tokens\": 100, \"n\": 8, \"stream\": true, \"seed\": 1}"),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, running.statusCode());
            BufferedReader stream = new BufferedReader(new InputStreamReader(running.body(), StandardCharsets.UTF_8));
            assertTrue(stream.readLine().startsWith("data: "), "the first chunk: the request holds its place");

            HttpResponse<String> refused = http.send(
                    post(
                            gateway,
                            "{\"model\": \"policy\", \"messages\": [{\"role\": \"user\", \"content\": \"b\"}],"
                                    + " \"max_tokens\": 2}"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(429, refused.statusCode(), refused.body());
            JsonNode error = JSON.readTree(refused.body()).get("error");
            assertEquals("rate_limit_error", error.get("type").asText());
            assertTrue(error.get("message").asText().contains("max-queue"), error.toString());

            LlmJudgeConfig judge = new LlmJudgeConfig(
                    Optional.of(gateway.baseUrl()), "policy", Optional.empty(), Optional.empty(), 2, 0, 1, 10, 0);
            JudgeUnreachableException e =
                    assertThrows(JudgeUnreachableException.class, () -> new OpenAiChatClient(judge).complete("b"));
            assertTrue(e.getMessage().contains(gateway.baseUrl() + "/chat/completions"), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 429"), e.getMessage());

            while (stream.readLine() != null) {
                // drain: the running request completes and frees its place
            }
            assertTrue(new OpenAiChatClient(judge).complete("b") != null, "served once the queue has room");
        }
    }

    private static HttpRequest post(JudgeGateway gateway, String body) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
