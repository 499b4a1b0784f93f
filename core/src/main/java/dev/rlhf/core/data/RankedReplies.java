package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.List;

/**
 * A prompt and two or more replies to it in preference order, best first: what a reward model learns from. A
 * preference pair is the case of two replies.
 *
 * @param prompt the conversation so far, ending with the turn the replies answer
 * @param replies the assistant replies, best first (at least two)
 * @param margin how much better each reply should score than the next, from a margin column; 0 when there is none
 */
public record RankedReplies(List<ChatMessage> prompt, List<String> replies, double margin) {
    public RankedReplies {
        prompt = List.copyOf(prompt);
        replies = List.copyOf(replies);
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("ranked replies need a prompt");
        }
        if (replies.size() < 2) {
            throw new IllegalArgumentException("ranked replies need at least two replies, got " + replies.size());
        }
    }

    /** The pair as two ranked replies, chosen first. */
    public static RankedReplies of(PreferencePair pair, double margin) {
        return new RankedReplies(pair.prompt(), List.of(pair.chosen(), pair.rejected()), margin);
    }

    /** The same replies with another margin. */
    public RankedReplies withMargin(double value) {
        return new RankedReplies(prompt, replies, value);
    }

    /** The preferred reply. */
    public String best() {
        return replies.get(0);
    }
}
