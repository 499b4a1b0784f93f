package dev.rlhf.core.export;

import java.util.Locale;

/**
 * What an exported model serves, which decides its output.
 *
 * <ul>
 *   <li>{@link #REF} and {@link #POLICY}: {@code logprobs} (B, T-1), the log-probability of each next token, so that
 *       the server never returns the (B, T, V) logits;
 *   <li>{@link #RM}: {@code rewards} (B), the reward head read at the last real token of each row.
 * </ul>
 */
public enum ServingRole {
    /** The reward model. */
    RM,
    /** The frozen reference policy of the KL penalty. */
    REF,
    /** The policy being trained, served for rollouts or evaluation. */
    POLICY;

    /** The lower-case name used in model names and configs ({@code rm}, {@code ref}, {@code policy}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code rm}, {@code ref} or {@code policy}, as given on a command line or in a config. */
    public static ServingRole parse(String text) {
        for (ServingRole role : values()) {
            if (role.id().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("--role: expected rm, ref or policy, got '" + text + "'");
    }
}
