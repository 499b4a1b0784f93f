package dev.rlhf.gateway.service;

import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * Turns a growing list of tokens into text pieces: each piece is what the newest token adds to the decoded text. A
 * byte-level token may end in the middle of a UTF-8 character; its text is held back (decoded as U+FFFD) until the
 * character completes, so that the pieces always join into the exact decoded text.
 */
final class IncrementalText {
    private final Tokenizer tokenizer;
    private long[] ids = new long[0];
    private int emitted;

    IncrementalText(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The text {@code id} adds; with {@code last}, everything not yet emitted. */
    String append(long id, boolean last) {
        ids = Arrays.copyOf(ids, ids.length + 1);
        ids[ids.length - 1] = id;
        String text = tokenizer.decode(ids, true);
        if ((!last && text.endsWith("\uFFFD")) || text.length() < emitted) {
            return "";
        }
        String piece = text.substring(emitted);
        emitted = text.length();
        return piece;
    }
}
