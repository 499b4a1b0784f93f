package dev.rlhf.core.data;

/**
 * The format of a data file, as a config names it ({@code format: hh}). What a name reads depends on what is being
 * read: {@code hh} gives conversations (the {@code chosen} transcript) for SFT and preference pairs for a reward model.
 * See {@link DatasetFormat} for the field layouts.
 */
public enum DataFormat {
    /** Detected from the fields of the first line (or plain text when it is not JSON). */
    AUTO,
    /** {@code instruction}, optional {@code input}, {@code output}. */
    ALPACA,
    /** {@code messages: [{role, content}]}. */
    CHAT,
    /** Anthropic HH: {@code chosen} (and {@code rejected}) transcripts of Human and Assistant turns. */
    HH,
    /** {@code prompt}, {@code chosen}, {@code rejected}. */
    PAIRS,
    /** {@code prompt}, {@code replies} (two or more, best first). */
    RANKED,
    /** Plain text, or JSON lines with a {@code text} field. */
    TEXT
}
