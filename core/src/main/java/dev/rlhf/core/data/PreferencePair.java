package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt and two replies to it, the preferred one first: what a reward model learns from.
 *
 * @param prompt the conversation so far, ending with the turn the replies answer
 * @param chosen the preferred assistant reply
 * @param rejected the other reply
 */
public record PreferencePair(List<ChatMessage> prompt, String chosen, String rejected) {
    public PreferencePair {
        prompt = List.copyOf(prompt);
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("a preference pair needs a prompt");
        }
    }

    /** The prompt followed by the chosen reply as an assistant turn. */
    public List<ChatMessage> chosenChat() {
        return withReply(chosen);
    }

    /** The prompt followed by the rejected reply as an assistant turn. */
    public List<ChatMessage> rejectedChat() {
        return withReply(rejected);
    }

    private List<ChatMessage> withReply(String reply) {
        List<ChatMessage> chat = new ArrayList<>(prompt);
        chat.add(ChatMessage.assistant(reply));
        return List.copyOf(chat);
    }
}
