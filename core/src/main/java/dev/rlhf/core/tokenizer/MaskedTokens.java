package dev.rlhf.core.tokenizer;

/**
 * Token ids with the tokens that carry the training loss marked: a conversation rendered by its chat template (the
 * assistant replies and the token that closes each of them), or a block of pretraining text (every token). One
 * training sequence of SFT.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 *
 * @param ids token ids
 * @param lossMask true where the token is a training target
 */
public record MaskedTokens(long[] ids, boolean[] lossMask) {
    public MaskedTokens {
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
