package dev.rlhf.core.data;

/**
 * One training sequence: token ids and the tokens the loss is taken on. The arrays are not copied: treat them as
 * read-only.
 *
 * @param ids token ids
 * @param lossMask true where the token is a training target (assistant turns in SFT, every token in pretraining)
 */
public record SftExample(long[] ids, boolean[] lossMask) {
    public SftExample {
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
        for (boolean target : lossMask) {
            n += target ? 1 : 0;
        }
        return n;
    }
}
