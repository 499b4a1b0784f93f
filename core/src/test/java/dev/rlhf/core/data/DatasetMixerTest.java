package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DatasetMixerTest {
    private static final Portion NO_EVAL = new Portion.Size(0);

    private static DatasetMixer mixer(Portion sample, Portion eval, long seed) {
        return new DatasetMixer(List.of(new MixSource("d", 100, sample, eval)), seed);
    }

    private static Set<Integer> set(int[] indices) {
        return Arrays.stream(indices).boxed().collect(Collectors.toSet());
    }

    @Test
    void aFractionOrASizeDrawsThatManyDistinctExamples() {
        int[] half = mixer(new Portion.Fraction(0.5), NO_EVAL, 1).epoch(0);
        assertEquals(50, half.length);
        assertEquals(50, set(half).size());
        int[] thirty = mixer(new Portion.Size(30), NO_EVAL, 1).epoch(0);
        assertEquals(30, thirty.length);
        assertEquals(30, set(thirty).size());
        assertEquals(100, set(mixer(Portion.all(), NO_EVAL, 1).epoch(0)).size());
    }

    @Test
    void subsetsDifferBetweenEpochsAndRepeatForTheSameSeed() {
        DatasetMixer mixer = mixer(new Portion.Fraction(0.5), NO_EVAL, 11);
        assertFalse(set(mixer.epoch(0)).equals(set(mixer.epoch(1))), "each epoch draws another subset");
        assertArrayEquals(
                mixer.epoch(3), mixer(new Portion.Fraction(0.5), NO_EVAL, 11).epoch(3));
        assertFalse(Arrays.equals(
                mixer.epoch(3), mixer(new Portion.Fraction(0.5), NO_EVAL, 12).epoch(3)));
    }

    @Test
    void theEvalSplitNeverOverlapsTrainingAndIsFixedAcrossEpochs() {
        DatasetMixer mixer = mixer(Portion.all(), new Portion.Fraction(0.2), 4);
        Set<Integer> eval = set(mixer.eval());
        assertEquals(20, eval.size());
        assertEquals(80, mixer.train().length);
        for (int epoch = 0; epoch < 5; epoch++) {
            Set<Integer> train = set(mixer.epoch(epoch));
            assertEquals(80, train.size());
            assertTrue(train.stream().noneMatch(eval::contains), "epoch " + epoch + " trains on an eval example");
        }
        assertArrayEquals(
                mixer.eval(),
                mixer(new Portion.Fraction(0.5), new Portion.Fraction(0.2), 4).eval(),
                "the split does not depend on the sampling");
        assertFalse(Arrays.equals(
                mixer.eval(), mixer(Portion.all(), new Portion.Fraction(0.2), 5).eval()));
    }

    @Test
    void aSizeAboveTheDatasetRepeatsEveryExampleBeforeAnyThirdTime() {
        int[] drawn = mixer(new Portion.Size(250), NO_EVAL, 2).epoch(0);
        assertEquals(250, drawn.length);
        Map<Integer, Long> counts =
                Arrays.stream(drawn).boxed().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(100, counts.size());
        assertTrue(counts.values().stream().allMatch(c -> c == 2 || c == 3));
    }

    @Test
    void severalSourcesAreNumberedInTurnAndMixedTogether() {
        DatasetMixer mixer = new DatasetMixer(
                List.of(
                        new MixSource("a", 100, new Portion.Size(10), new Portion.Size(5)),
                        new MixSource("b", 40, new Portion.Fraction(0.5), new Portion.Size(4))),
                3);
        int[] epoch = mixer.epoch(0);
        assertEquals(28, epoch.length);
        assertEquals(10, Arrays.stream(epoch).filter(i -> i < 100).count());
        assertEquals(18, Arrays.stream(epoch).filter(i -> i >= 100 && i < 140).count(), "half of b's 36 train rows");
        assertEquals(9, mixer.eval().length);
        assertEquals(100, mixer.offset(1));
        assertFalse(Arrays.equals(Arrays.stream(epoch).sorted().toArray(), epoch), "sources are interleaved");
    }

    @Test
    void anEvalSplitThatLeavesNothingToTrainOnIsAnError() {
        DataException e = assertThrows(DataException.class, () -> mixer(Portion.all(), new Portion.Size(100), 1));
        assertTrue(e.getMessage().startsWith("d: split 100 holds out 100 of 100 rows"), e.getMessage());
    }
}
