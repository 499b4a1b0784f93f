package dev.rlhf.core.tokenizer;

/**
 * A conversation as token ids, with the tokens that carry the training loss marked.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 *
 * @param ids the token ids of the rendered conversation
 * @param lossMask true exactly for the tokens of assistant contents and the {@code <|end|>} that closes each of them
 */
public record EncodedChat(long[] ids, boolean[] lossMask) {
    public EncodedChat {
        if (ids.length != lossMask.length) {
            throw new IllegalArgumentException(
                    "ids and lossMask differ in length: " + ids.length + " vs " + lossMask.length);
        }
    }

    /** Number of tokens. */
    public int length() {
        return ids.length;
    }

    /** Number of tokens that carry loss. */
    public int lossTokens() {
        int n = 0;
        for (boolean masked : lossMask) {
            n += masked ? 1 : 0;
        }
        return n;
    }
}
