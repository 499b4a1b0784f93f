package dev.rlhf.core.generation;

/** The tokens generated after one prompt and why generation stopped. */
public record Generation(long[] tokens, FinishReason finishReason) {

    public enum FinishReason {
        /** A stop token (normally EOS) was generated; it is the last of {@link #tokens}. */
        STOP_TOKEN,
        /** The decoded text contains a stop string. */
        STOP_STRING,
        /** {@code max_new_tokens} was reached. */
        LENGTH
    }
}
