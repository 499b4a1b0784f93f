package dev.rlhf.core.tokenizer;

/**
 * Token ids of a text with the characters each token came from. Offsets are Java {@code char} indices into the text
 * (UTF-16 units), so they slice the very string that was encoded. The arrays are not copied: treat them as read-only.
 *
 * @param ids the token ids
 * @param starts the index of each token's first character
 * @param ends the index after each token's last character
 */
public record TokenOffsets(long[] ids, int[] starts, int[] ends) {
    public TokenOffsets {
        if (ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException(
                    "ids, starts and ends differ in length: " + ids.length + ", " + starts.length + ", " + ends.length);
        }
    }
}
