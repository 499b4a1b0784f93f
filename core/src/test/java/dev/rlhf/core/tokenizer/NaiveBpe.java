package dev.rlhf.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A slow BPE trainer that recounts every pair after every merge: the reference for the incremental one. */
final class NaiveBpe {
    private NaiveBpe() {}

    static List<BpeMerge> train(Map<String, Long> wordCounts, int vocabSize) {
        List<String> vocab = BpeTrainer.initialVocab();
        List<List<Integer>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        wordCounts.forEach((word, count) -> {
            List<Integer> ids = new ArrayList<>();
            for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                ids.add(BpeModel.byteId(b));
            }
            words.add(ids);
            counts.add(count);
        });
        List<BpeMerge> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            Map<Long, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<Integer> word = words.get(w);
                for (int i = 0; i + 1 < word.size(); i++) {
                    pairs.merge(WordPairs.key(word.get(i), word.get(i + 1)), counts.get(w), Long::sum);
                }
            }
            if (pairs.isEmpty()) {
                break;
            }
            long best = pairs.entrySet().stream()
                    .min((a, b) -> a.getValue().equals(b.getValue())
                            ? Long.compare(a.getKey(), b.getKey())
                            : Long.compare(b.getValue(), a.getValue()))
                    .orElseThrow()
                    .getKey();
            int left = (int) (best >>> 32);
            int right = (int) best;
            String token = vocab.get(left) + vocab.get(right);
            int id = vocab.indexOf(token);
            if (id < 0) {
                id = vocab.size();
                vocab.add(token);
            }
            merges.add(new BpeMerge(left, right, id));
            for (List<Integer> word : words) {
                for (int i = 0; i + 1 < word.size(); i++) {
                    if (word.get(i) == left && word.get(i + 1) == right) {
                        word.set(i, id);
                        word.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }
}
