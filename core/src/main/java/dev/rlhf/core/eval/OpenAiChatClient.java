package dev.rlhf.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * One user message to an OpenAI-compatible {@code POST <base_url>/chat/completions}, the answer's text back. A
 * refused connection, a timeout, 429 or 5xx is tried again {@code retries} times (0.5 s, then doubling); after that, or
 * on any other 4xx, a {@link JudgeUnreachableException} names the URL and the last problem. Thread-safe.
 */
public final class OpenAiChatClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIRST_BACKOFF_MS = 500;

    private final URI endpoint;
    private final LlmJudgeConfig config;
    private final Optional<String> apiKey;
    private final HttpClient http;

    /** @param config its {@code base_url} must be present */
    public OpenAiChatClient(LlmJudgeConfig config) {
        String base = config.baseUrl().orElseThrow();
        this.endpoint = URI.create(base.replaceAll("/+$", "") + "/chat/completions");
        this.config = config;
        this.apiKey = config.apiKeyEnv().map(OpenAiChatClient::key);
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis((long) (config.timeoutSeconds() * 1000)))
                .build();
    }

    private static String key(String env) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("judges.llm.api_key_env: the environment variable " + env + " is unset");
        }
        return value;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The judge's answer to {@code prompt} (the first choice's message content). */
    public String complete(String prompt) {
        HttpRequest request = request(prompt);
        String problem = "";
        Exception cause = null;
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                sleep(FIRST_BACKOFF_MS << (attempt - 1));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    return content(response.body());
                }
                problem = "HTTP " + status + ": " + abbreviate(response.body());
                cause = null;
                if (status != 429 && status < 500) {
                    throw new JudgeUnreachableException(
                            "judges.llm: " + endpoint + " refused the request: " + problem, null);
                }
            } catch (HttpTimeoutException e) {
                problem = "no answer within " + config.timeoutSeconds() + " s";
                cause = e;
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking the judge at " + endpoint, e);
            }
        }
        throw new JudgeUnreachableException(
                "judges.llm.base_url: " + endpoint + ": no answer after " + (config.retries() + 1) + " tries ("
                        + problem + ")",
                cause);
    }

    private HttpRequest request(String prompt) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", config.model());
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("max_tokens", config.maxTokens());
        body.put("temperature", config.temperature());
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofMillis((long) (config.timeoutSeconds() * 1000)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        apiKey.ifPresent(k -> builder.header("Authorization", "Bearer " + k));
        return builder.build();
    }

    private String content(String body) {
        try {
            JsonNode content =
                    JSON.readTree(body).path("choices").path(0).path("message").path("content");
            return content.isTextual() ? content.asText() : "";
        } catch (IOException e) {
            throw new JudgeUnreachableException(
                    "judges.llm: " + endpoint + " answered with something else than JSON: " + abbreviate(body), e);
        }
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the judge at " + endpoint, e);
        }
    }
}
