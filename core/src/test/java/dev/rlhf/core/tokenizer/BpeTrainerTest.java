package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    @TempDir
    Path dir;

    private Path corpus(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<String> mergedTokens(BpeModel model) {
        return model.merges().stream().map(m -> model.vocab().get(m.merged())).toList();
    }

    @Test
    void firstMergesAreTheHandComputedOnes() throws IOException {
        // words: "ab" x1, " ab" x2, " abc" x2 -> (a,b)=5, then (Ġ,ab)=4, then (Ġab,c)=2, then nothing is left
        BpeModel model = BpeTrainer.train(List.of(corpus("tiny.txt", "ab ab ab abc abc")), 300);
        assertEquals(List.of("ab", "Ġab", "Ġabc"), mergedTokens(model));
        assertEquals(
                List.of("a b", "Ġ ab", "Ġab c"),
                model.merges().stream().map(model::mergeString).toList());
        assertEquals(262 + 3, model.vocabSize());
        assertTrue(model.stoppedEarly());
        assertTrue(model.summary().contains("stopped early"), model.summary());
    }

    @Test
    void vocabStartsWithSpecialTokensThenBytes() throws IOException {
        BpeModel model = BpeTrainer.train(List.of(corpus("tiny.txt", "ab ab ab abc abc")), 263);
        assertEquals(SpecialTokens.ALL, model.vocab().subList(0, 6));
        assertEquals("\u0100", model.vocab().get(6)); // byte 0
        assertEquals("Ġ", model.vocab().get(6 + 32));
        assertEquals("a", model.vocab().get(6 + 'a'));
        assertEquals("ab", model.vocab().get(262));
        assertEquals(263, model.vocabSize());
        assertFalse(model.stoppedEarly());
    }

    @Test
    void tiesGoToTheSmallerIds() throws IOException {
        // (x,y), (Ġ,z) and (z,w) all occur once; Ġ (byte 32) has the smallest id, then x before z
        BpeModel model = BpeTrainer.train(List.of(corpus("tie.txt", "xy zw")), 264);
        assertEquals(List.of("Ġz", "xy"), mergedTokens(model));
    }

    @Test
    void specialTokenStringsInTheCorpusAreNotTrainedOn() throws IOException {
        BpeModel model = BpeTrainer.train(List.of(corpus("s.txt", "<|endoftext|><|endoftext|><|endoftext|>ab")), 263);
        assertEquals(List.of("ab"), mergedTokens(model));
    }

    @Test
    void gzipCorpusTrainsLikeThePlainOne() throws IOException {
        String text = "the cat sat on the mat, the end.\nthe rat sat too\n";
        Path gz = dir.resolve("corpus.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(BpeTrainer.train(List.of(corpus("corpus.txt", text)), 290), BpeTrainer.train(List.of(gz), 290));
    }

    @Test
    void incrementalTrainingMatchesNaiveRecounting() {
        Random random = new Random(7);
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder word = new StringBuilder(random.nextBoolean() ? " " : "");
            int length = 1 + random.nextInt(8);
            for (int k = 0; k < length; k++) {
                word.append("aabbcdé".charAt(random.nextInt(7)));
            }
            counts.merge(word.toString(), 1L + random.nextInt(5), Long::sum);
        }
        BpeModel fast = BpeTrainer.train(counts, 400);
        assertEquals(NaiveBpe.train(counts, 400), fast.merges());
    }

    @Test
    void chunkedReadingSeesTheSameWordsAsTheWholeText() throws IOException {
        StringBuilder text = new StringBuilder();
        Random random = new Random(3);
        String[] pieces = {"word", " ", "  ", "\n", "\n\n", "\t", ".", "é", "42", "\r\n", "x\n  y"};
        while (text.length() < 3_000_000) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        Map<String, Long> whole = new HashMap<>();
        BpeTrainer.countWords(text.toString(), whole);
        Map<String, Long> chunked = new HashMap<>();
        int[] chunks = {0};
        long chars = CorpusReader.read(List.of(corpus("big.txt", text.toString())), chunk -> {
            chunks[0]++;
            BpeTrainer.countWords(chunk, chunked);
        });
        assertEquals(text.length(), chars);
        assertTrue(chunks[0] > 1, "expected the file to be read in several chunks");
        assertEquals(whole, chunked);
    }
}
