package dev.rlhf.core.reward;

import java.util.Objects;
import java.util.Optional;

/**
 * What a rule-based reward looks at: the prompt (the user turn), the policy's response text, and the reference answer
 * the prompt dataset carries ({@code {"prompt": ..., "answer": ...}}), absent for prompts without one.
 */
public record RewardInput(String prompt, String response, Optional<String> answer) {

    public RewardInput {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(answer, "answer");
    }

    /** A prompt and response with a reference answer. */
    public static RewardInput of(String prompt, String response, String answer) {
        return new RewardInput(prompt, response, Optional.of(answer));
    }
}
