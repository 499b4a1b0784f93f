package dev.rlhf.gateway.service;

import java.util.List;
import java.util.OptionalLong;

/**
 * What to generate: a prompt (text, or ids that skip the chat template) and how to sample.
 *
 * @param model the policy's name; empty for the configured one
 * @param temperature 0 decodes greedily
 * @param topK 0 keeps every token
 * @param topP 0 (unset) or 1 keeps every token
 * @param seed absent: the server picks one
 * @param stop generation ends once the new text contains one of these
 */
public record GenerationQuery(
        String model,
        String prompt,
        long[] promptIds,
        int maxNewTokens,
        double temperature,
        int topK,
        double topP,
        OptionalLong seed,
        List<String> stop) {

    /** Refuses sampling settings that mean nothing, naming the field. */
    public GenerationQuery {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new GatewayException.InvalidRequest("temperature: must be a finite number >= 0, got " + temperature);
        }
        if (!(topP >= 0 && topP <= 1)) {
            throw new GatewayException.InvalidRequest("top_p: must be in [0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new GatewayException.InvalidRequest("top_k: must be >= 0, got " + topK);
        }
        if (maxNewTokens < 0) {
            throw new GatewayException.InvalidRequest("max_new_tokens: must be >= 0, got " + maxNewTokens);
        }
    }
}
