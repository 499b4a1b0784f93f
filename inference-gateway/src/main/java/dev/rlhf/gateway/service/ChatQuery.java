package dev.rlhf.gateway.service;

import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One chat completion to compute, its fields already checked one by one (ranges, types) by the protocol edge; what
 * needs the model (the rendered prompt's length, the model's name) is checked by {@link ChatCompletions}.
 *
 * @param model the name the request gives
 * @param maxTokens new tokens per choice at most; absent: up to the model's context
 * @param maxTokensParam the request field {@code maxTokens} came from ({@code max_tokens} or {@code
 *     max_completion_tokens}), named in errors
 * @param temperature absent: the model's {@code generation_config.json} when it samples, else 1 (OpenAI's default)
 * @param topP absent: as {@code temperature}
 * @param topK absent: as {@code temperature}, 0 (keep all) without one
 * @param seed absent: the server picks one
 * @param stop each choice's text is cut before the first of these
 * @param n the number of choices
 */
public record ChatQuery(
        String model,
        List<ChatMessage> messages,
        OptionalInt maxTokens,
        String maxTokensParam,
        OptionalDouble temperature,
        OptionalDouble topP,
        OptionalInt topK,
        OptionalLong seed,
        List<String> stop,
        int n) {

    public ChatQuery {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
    }
}
