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
}
