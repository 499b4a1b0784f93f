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
        List<String> stop) {}
