package dev.rlhf.gateway.service;

/**
 * A (prompt, response) pair to score, as text or as token ids of the reward model's tokenizer.
 *
 * @param model the reward model; empty for {@code gateway.reward-model}
 */
public record ScorePair(String model, String prompt, String response, long[] promptIds, long[] responseIds) {

    /** Ids win when both prompt and response come as ids; the texts are then ignored. */
    public boolean tokenized() {
        return promptIds.length > 0 && responseIds.length > 0;
    }
}
