package dev.rlhf.core.tokenizer;

import java.util.List;

/**
 * A trained byte-level BPE vocabulary: the result of {@link BpeTrainer}, the input of {@link TokenizerJsonWriter}.
 *
 * <p>Ids run: the {@link SpecialTokens} (0..5), the 256 byte symbols in byte order ({@code 6 + byte}), then the merged
 * tokens in the order they were learned. Tokens other than the special ones are strings over the
 * {@link ByteLevelAlphabet}.
 *
 * @param vocab every token, its index being its id
 * @param merges the merges in the order they were learned (their rank)
 * @param requestedVocabSize the size asked for; larger than {@code vocab.size()} when the corpus ran out of pairs
 */
public record BpeModel(List<String> vocab, List<BpeMerge> merges, int requestedVocabSize) {
    /** Id of the token that stands for byte 0; byte {@code b} has id {@code FIRST_BYTE_ID + b}. */
    public static final int FIRST_BYTE_ID = SpecialTokens.ALL.size();

    public BpeModel {
        vocab = List.copyOf(vocab);
        merges = List.copyOf(merges);
    }

    /** Number of tokens, special tokens included. */
    public int vocabSize() {
        return vocab.size();
    }

    /** True when the corpus had no pair left to merge before the requested vocab size was reached. */
    public boolean stoppedEarly() {
        return vocab.size() < requestedVocabSize;
    }

    /** The id of the token for byte {@code b}. */
    public static int byteId(int b) {
        return FIRST_BYTE_ID + (b & 0xFF);
    }

    /** A merge in Hugging Face's {@code "left right"} form (byte-level tokens never contain a space). */
    public String mergeString(BpeMerge merge) {
        return vocab.get(merge.left()) + " " + vocab.get(merge.right());
    }

    /** One line for logs: vocab size, merges, and whether training stopped early. */
    public String summary() {
        String line = "vocab " + vocabSize() + ", merges " + merges.size();
        return stoppedEarly()
                ? line + " (stopped early: the corpus has no more pairs to merge; " + requestedVocabSize
                        + " were requested)"
                : line;
    }
}
