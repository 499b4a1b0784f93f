package dev.rlhf.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Trains a byte-level BPE vocabulary, the kind GPT-2, Llama 3 and Qwen use.
 *
 * <p>The corpus is cut at special-token strings and split into words by {@link ByteLevelPreTokenizer}, exactly as the
 * Hugging Face tokenizer will split text when encoding. Each unique word starts as its UTF-8 bytes. Then the most
 * frequent adjacent pair of tokens, counted over all words, is merged into a new token, again and again, until the
 * vocabulary has the requested size. Ties go to the pair with the smaller ids (left first), so training is
 * deterministic. All 256 bytes are in the vocabulary whether or not they occur, so any text can be encoded.
 */
public final class BpeTrainer {
    private BpeTrainer() {}

    /** The smallest vocabulary that can be trained: the special tokens plus the 256 byte symbols. */
    public static int minimumVocabSize() {
        return SpecialTokens.ALL.size() + ByteLevelAlphabet.SIZE;
    }

    /**
     * Trains on UTF-8 text files ({@code .gz} files are decompressed).
     *
     * @param files the corpus; at least one, not all empty
     * @param vocabSize the number of tokens wanted, special tokens included; at least {@link #minimumVocabSize()}
     * @return the model; if the corpus runs out of pairs first, a smaller one with {@link BpeModel#stoppedEarly()}
     * @throws TokenizerException naming the files when the vocab size is too small, or a file is missing, unreadable
     *     or the corpus has no text
     */
    public static BpeModel train(List<Path> files, int vocabSize) {
        String names = files.stream().map(Path::toString).collect(Collectors.joining(", "));
        if (files.isEmpty()) {
            throw new TokenizerException("no corpus files given");
        }
        if (vocabSize < minimumVocabSize()) {
            throw new TokenizerException("training on " + names + ": vocab size " + vocabSize
                    + " is too small; the minimum is " + minimumVocabSize() + " (" + ByteLevelAlphabet.SIZE
                    + " byte symbols + " + SpecialTokens.ALL.size() + " special tokens)");
        }
        Map<String, Long> wordCounts = new HashMap<>();
        long chars = CorpusReader.read(files, chunk -> countWords(chunk, wordCounts));
        if (chars == 0) {
            throw new TokenizerException(names + ": the corpus is empty (no text at all)");
        }
        return train(wordCounts, vocabSize);
    }

    /** Trains on words already split by {@link ByteLevelPreTokenizer}, with their counts. */
    static BpeModel train(Map<String, Long> wordCounts, int vocabSize) {
        List<String> vocab = initialVocab();
        Map<String, Integer> ids = new HashMap<>();
        for (int id = SpecialTokens.ALL.size(); id < vocab.size(); id++) {
            ids.put(vocab.get(id), id);
        }
        WordPairs pairs = wordPairs(wordCounts);
        List<BpeMerge> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            WordPairs.Candidate best = pairs.mostFrequent();
            if (best == null) {
                break;
            }
            String token = vocab.get(best.left()) + vocab.get(best.right());
            int id = ids.computeIfAbsent(token, t -> vocab.size());
            if (id == vocab.size()) {
                vocab.add(token);
            }
            merges.add(new BpeMerge(best.left(), best.right(), id));
            pairs.merge(best, id);
        }
        return new BpeModel(vocab, merges, vocabSize);
    }

    /** Adds the words of {@code text} to the counts, keeping special-token strings out of them. */
    static void countWords(String text, Map<String, Long> wordCounts) {
        for (String piece : SpecialTokens.pattern().split(text)) {
            ByteLevelPreTokenizer.forEachWord(piece, word -> wordCounts.merge(word, 1L, Long::sum));
        }
    }

    /** The special tokens, then the byte-level character of every byte in byte order. */
    static List<String> initialVocab() {
        List<String> vocab = new ArrayList<>(SpecialTokens.ALL);
        for (int b = 0; b < ByteLevelAlphabet.SIZE; b++) {
            vocab.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
        return vocab;
    }

    private static WordPairs wordPairs(Map<String, Long> wordCounts) {
        List<int[]> words = new ArrayList<>(wordCounts.size());
        long[] counts = new long[wordCounts.size()];
        for (Map.Entry<String, Long> entry : wordCounts.entrySet()) {
            byte[] bytes = entry.getKey().getBytes(StandardCharsets.UTF_8);
            int[] word = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                word[i] = BpeModel.byteId(bytes[i]);
            }
            counts[words.size()] = entry.getValue();
            words.add(word);
        }
        return new WordPairs(words, counts);
    }
}
