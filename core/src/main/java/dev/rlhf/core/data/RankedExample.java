package dev.rlhf.core.data;

import java.util.List;

/**
 * Ranked replies as a reward model sees them: one token sequence per reply (the prompt and the reply, through
 * {@code ChatLayout}), best first. The arrays are not copied: treat them as read-only.
 *
 * @param completions the token ids of each (prompt, reply), best first; at least two
 * @param margin the margin of every pair of this example
 */
public record RankedExample(List<long[]> completions, double margin) {
    public RankedExample {
        completions = List.copyOf(completions);
        if (completions.size() < 2) {
            throw new IllegalArgumentException("a ranked example needs at least two completions");
        }
    }

    /** K, the number of replies. */
    public int replies() {
        return completions.size();
    }

    /** K (K - 1) / 2, the number of ordered pairs the ranking gives. */
    public int pairs() {
        return replies() * (replies() - 1) / 2;
    }

    /** Tokens over all completions. */
    public long tokens() {
        return completions.stream().mapToLong(c -> c.length).sum();
    }
}
