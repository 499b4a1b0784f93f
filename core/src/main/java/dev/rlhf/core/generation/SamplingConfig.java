package dev.rlhf.core.generation;

import java.util.List;
import java.util.Set;

/**
 * How to pick and when to stop new tokens.
 *
 * @param maxNewTokens upper bound on generated tokens per sequence
 * @param temperature 0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topK keep only the k most likely tokens (0 keeps all)
 * @param topP keep the smallest set of most likely tokens whose probability reaches p (1 keeps all)
 * @param seed seeds the sampler, so the same call gives the same tokens
 * @param stopTokenIds generation of a sequence ends after any of these (normally EOS); the token is kept
 * @param stopStrings generation ends once the decoded new text contains one of these; the text is kept
 * @param useKvCache reuse keys and values of earlier positions (on) or recompute the whole prefix each step (off)
 */
public record SamplingConfig(
        int maxNewTokens,
        double temperature,
        int topK,
        double topP,
        long seed,
        Set<Long> stopTokenIds,
        List<String> stopStrings,
        boolean useKvCache) {

    public SamplingConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens must be at least 1, got " + maxNewTokens);
        }
        if (temperature < 0) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        stopTokenIds = Set.copyOf(stopTokenIds);
        stopStrings = List.copyOf(stopStrings);
    }

    public static SamplingConfig greedy(int maxNewTokens) {
        return new SamplingConfig(maxNewTokens, 0, 0, 1, 0, Set.of(), List.of(), true);
    }

    public SamplingConfig withKvCache(boolean on) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, seed, stopTokenIds, stopStrings, on);
    }

    public SamplingConfig withStopTokens(Set<Long> ids) {
        return new SamplingConfig(maxNewTokens, temperature, topK, topP, seed, ids, stopStrings, useKvCache);
    }

    public boolean greedyDecoding() {
        return temperature == 0;
    }
}
