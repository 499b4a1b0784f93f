package dev.rlhf.core.rollout;

import java.util.Objects;
import java.util.Optional;

/**
 * A prompt to roll out: the user turn's text and, for tasks with a verifiable answer, the reference answer a rule
 * reward compares the response with ({@code {"prompt": ..., "answer": ...}} in a prompt file).
 */
public record Prompt(String text, Optional<String> answer) {

    public Prompt {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(answer, "answer");
    }

    /** A prompt without a reference answer. */
    public static Prompt of(String text) {
        return new Prompt(text, Optional.empty());
    }
}
