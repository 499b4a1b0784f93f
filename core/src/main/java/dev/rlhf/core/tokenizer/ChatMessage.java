package dev.rlhf.core.tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the text of the turn, as is
 */
public record ChatMessage(String role, String content) {
    /** The roles a message may have. */
    public static final List<String> ROLES = List.of("system", "user", "assistant");

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException(
                    "unknown chat role '" + role + "' (expected one of " + String.join(", ", ROLES) + ")");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    /** True for the turns a model is trained to produce. */
    public boolean isAssistant() {
        return role.equals("assistant");
    }
}
