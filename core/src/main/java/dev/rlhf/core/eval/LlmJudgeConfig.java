package dev.rlhf.core.eval;

import dev.rlhf.core.config.ConfigValueException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An LLM judge: any OpenAI-compatible chat-completions endpoint (the gateway, vLLM, TGI, llama.cpp, Ollama, OpenAI).
 *
 * @param baseUrl the API root, e.g. {@code http://127.0.0.1:8080/v1} ({@code /chat/completions} is appended); absent:
 *     no LLM judge
 * @param model the {@code model} field of each request
 * @param apiKeyEnv the environment variable holding the API key (sent as a bearer token); absent: no key
 * @param template a file with the judge prompt ({@code {question}}, {@code {answer_a}}, {@code {answer_b}}); absent:
 *     the built-in one ({@link JudgePrompt#DEFAULT})
 * @param maxTokens the judge's answer budget
 * @param temperature the judge's sampling temperature (0: greedy)
 * @param concurrency requests in flight at once
 * @param timeoutSeconds per request
 * @param retries further tries of a request that failed to connect, timed out or got 429 / 5xx
 */
public record LlmJudgeConfig(
        Optional<String> baseUrl,
        String model,
        Optional<String> apiKeyEnv,
        Optional<Path> template,
        int maxTokens,
        double temperature,
        int concurrency,
        double timeoutSeconds,
        int retries) {
    public LlmJudgeConfig {
        baseUrl.ifPresent(url -> ConfigValueException.require(
                url.startsWith("http://") || url.startsWith("https://"),
                "base_url",
                "expected an http:// or https:// URL, got '" + url + "'"));
        ConfigValueException.positive("max_tokens", maxTokens);
        ConfigValueException.positive("concurrency", concurrency);
        ConfigValueException.positive("timeout_seconds", timeoutSeconds);
        ConfigValueException.require(retries >= 0, "retries", "must be >= 0, got " + retries);
    }
}
