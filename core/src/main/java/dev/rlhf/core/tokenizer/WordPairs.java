package dev.rlhf.core.tokenizer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The unique words of a corpus as token sequences, with the counts of all adjacent token pairs, kept up to date as
 * {@link BpeTrainer} merges pairs.
 *
 * <p>Each merge only touches the words that contain the merged pair (found through an index pair -> words) and only
 * changes the counts of pairs in those words. The most frequent pair comes from a priority queue with lazy
 * invalidation: a pair is queued again whenever a merge makes it more frequent, and an entry whose count is out of
 * date when it surfaces is dropped or re-queued with the current count.
 */
final class WordPairs {
    /** A pair and its count when queued. Ties go to the smaller key, i.e. the smaller (left, right) ids. */
    record Candidate(long pair, long count) {
        int left() {
            return (int) (pair >>> 32);
        }

        int right() {
            return (int) pair;
        }
    }

    private static final Comparator<Candidate> MOST_FREQUENT =
            Comparator.comparingLong(Candidate::count).reversed().thenComparingLong(Candidate::pair);

    private final int[][] words;
    private final long[] counts;
    private final int[] lastVisit;
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, IntList> pairWords = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(MOST_FREQUENT);
    private int step;

    /** Takes the unique words as token id sequences and how often each occurs. */
    WordPairs(List<int[]> words, long[] counts) {
        this.words = words.toArray(new int[0][]);
        this.counts = counts.clone();
        this.lastVisit = new int[this.words.length];
        for (int w = 0; w < this.words.length; w++) {
            int[] word = this.words[w];
            for (int i = 0; i + 1 < word.length; i++) {
                long pair = key(word[i], word[i + 1]);
                pairCounts.merge(pair, this.counts[w], Long::sum);
                pairWords.computeIfAbsent(pair, p -> new IntList()).addIfNotLast(w);
            }
        }
        pairCounts.forEach((pair, count) -> queue.add(new Candidate(pair, count)));
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The most frequent pair with its current count, or null when no word has two tokens left. */
    Candidate mostFrequent() {
        while (!queue.isEmpty()) {
            Candidate top = queue.poll();
            Long current = pairCounts.get(top.pair());
            if (current != null && current == top.count()) {
                return top;
            }
            if (current != null) {
                queue.add(new Candidate(top.pair(), current));
            }
        }
        return null;
    }

    /** Replaces every occurrence of {@code pair} by token {@code merged} and updates the pair counts. */
    void merge(Candidate pair, int merged) {
        IntList candidates = pairWords.remove(pair.pair());
        step++;
        Map<Long, Long> delta = new HashMap<>();
        for (int k = 0; candidates != null && k < candidates.size(); k++) {
            int w = candidates.get(k);
            if (lastVisit[w] == step) {
                continue;
            }
            lastVisit[w] = step;
            int[] updated = replace(words[w], pair.left(), pair.right(), merged);
            if (updated != words[w]) {
                countPairs(words[w], -counts[w], delta);
                countPairs(updated, counts[w], delta);
                indexPairsWith(updated, merged, w);
                words[w] = updated;
            }
        }
        delta.forEach(this::apply);
    }

    private void apply(long pair, long change) {
        if (change == 0) {
            return;
        }
        long count = pairCounts.getOrDefault(pair, 0L) + change;
        if (count <= 0) {
            pairCounts.remove(pair);
            pairWords.remove(pair);
            return;
        }
        pairCounts.put(pair, count);
        if (change > 0) {
            queue.add(new Candidate(pair, count));
        }
    }

    /** {@code word} with (left, right) merged left to right, or {@code word} itself when the pair does not occur. */
    private static int[] replace(int[] word, int left, int right, int merged) {
        int[] out = null;
        int n = 0;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                if (out == null) {
                    out = Arrays.copyOf(word, word.length - 1);
                    n = i;
                }
                out[n++] = merged;
                i++;
            } else if (out != null) {
                out[n++] = word[i];
            }
        }
        return out == null ? word : Arrays.copyOf(out, n);
    }

    private static void countPairs(int[] word, long count, Map<Long, Long> delta) {
        for (int i = 0; i + 1 < word.length; i++) {
            delta.merge(key(word[i], word[i + 1]), count, Long::sum);
        }
    }

    private void indexPairsWith(int[] word, int token, int w) {
        for (int i = 0; i + 1 < word.length; i++) {
            if (word[i] == token || word[i + 1] == token) {
                pairWords
                        .computeIfAbsent(key(word[i], word[i + 1]), p -> new IntList())
                        .addIfNotLast(w);
            }
        }
    }

    /** A growable list of word indices. */
    private static final class IntList {
        private int[] values = new int[4];
        private int size;

        void addIfNotLast(int value) {
            if (size > 0 && values[size - 1] == value) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        int get(int index) {
            return values[index];
        }
    }
}
