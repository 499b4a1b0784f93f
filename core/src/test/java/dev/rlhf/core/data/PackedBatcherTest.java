package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.tokenizer.MaskedTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PackedBatcherTest {
    private static final int SEQ_LEN = 32;
    private static final long PAD = 1;

    private final List<MaskedTokens> examples = Examples.random(200, 20, 7);
    private final DatasetMixer mixer =
            new DatasetMixer(List.of(new MixSource("x", 200, Portion.all(), new Portion.Size(0))), 5);
    private final PackedBatcher batcher = new PackedBatcher(examples, mixer::epoch, 4, SEQ_LEN, PAD);

    @Test
    void everyExampleKeepsItsTokensMaskAndPositionsAndSegmentsNeverMix() {
        List<Integer> seen = new ArrayList<>();
        Iterator<PackedBatch> batches = batcher.batches(0);
        List<int[]> rows = batcher.rows(0);
        int row = 0;
        while (batches.hasNext()) {
            PackedBatch batch = batches.next();
            for (int b = 0; b < batch.rows(); b++, row++) {
                assertEquals(SEQ_LEN, batch.ids()[b].length);
                int at = 0;
                int[] packed = rows.get(row);
                for (int segment = 0; segment < packed.length; segment++) {
                    MaskedTokens example = examples.get(packed[segment]);
                    seen.add(packed[segment]);
                    for (int t = 0; t < example.length(); t++, at++) {
                        assertEquals(example.ids()[t], batch.ids()[b][at]);
                        assertEquals(segment, batch.segmentIds()[b][at], "one segment per example, in order");
                        assertEquals(t, batch.positions()[b][at], "positions restart for each example");
                        long target = t > 0 && example.lossMask()[t] ? 1 : 0;
                        assertEquals(target, batch.lossMask()[b][at]);
                        assertEquals(1, batch.paddingMask()[b][at]);
                    }
                }
                for (; at < SEQ_LEN; at++) {
                    assertEquals(-1, batch.segmentIds()[b][at]);
                    assertEquals(PAD, batch.ids()[b][at]);
                    assertEquals(0, batch.lossMask()[b][at]);
                    assertEquals(0, batch.paddingMask()[b][at]);
                }
            }
        }
        assertEquals(rows.size(), row);
        assertEquals(Arrays.stream(mixer.epoch(0)).boxed().toList(), seen, "every example once, in the epoch's order");
    }

    @Test
    void rowsAreFilledNextFit() {
        List<int[]> rows = batcher.rows(0);
        for (int r = 0; r + 1 < rows.size(); r++) {
            int used = Arrays.stream(rows.get(r))
                    .map(i -> examples.get(i).length())
                    .sum();
            int next = examples.get(rows.get(r + 1)[0]).length();
            assertTrue(used <= SEQ_LEN && used + next > SEQ_LEN, "row " + r + " closed only when the next did not fit");
        }
    }

    @Test
    void resumingAtAStepGivesTheRemainingBatches() {
        int steps = batcher.steps(1);
        assertTrue(steps > 5);
        List<PackedBatch> all = new ArrayList<>();
        batcher.batches(1).forEachRemaining(all::add);
        assertEquals(steps, all.size());
        List<PackedBatch> resumed = new ArrayList<>();
        batcher.batches(1, 5).forEachRemaining(resumed::add);
        assertEquals(steps - 5, resumed.size());
        for (int i = 0; i < resumed.size(); i++) {
            assertBatchEquals(all.get(5 + i), resumed.get(i));
        }
        assertTrue(!batcher.batches(1, steps).hasNext());
        assertThrows(IllegalArgumentException.class, () -> batcher.batches(1, steps + 1));
    }

    @Test
    void theOrderIsFixedBySeedAndEpoch() {
        PackedBatcher again = new PackedBatcher(
                examples,
                new DatasetMixer(List.of(new MixSource("x", 200, Portion.all(), new Portion.Size(0))), 5)::epoch,
                4,
                SEQ_LEN,
                PAD);
        assertBatchEquals(batcher.batches(2).next(), again.batches(2).next());
        assertTrue(!Arrays.deepEquals(
                batcher.batches(2).next().ids(), batcher.batches(3).next().ids()));
    }

    @Test
    void anExampleLongerThanARowIsAnError() {
        List<MaskedTokens> tooLong = List.of(new MaskedTokens(new long[SEQ_LEN + 1], new boolean[SEQ_LEN + 1]));
        PackedBatcher bad =
                new PackedBatcher(tooLong, e -> IntStream.range(0, 1).toArray(), 1, SEQ_LEN, PAD);
        assertThrows(DataException.class, () -> bad.rows(0));
    }

    static void assertBatchEquals(PackedBatch expected, PackedBatch actual) {
        assertArrayEquals(expected.ids(), actual.ids());
        assertArrayEquals(expected.segmentIds(), actual.segmentIds());
        assertArrayEquals(expected.positions(), actual.positions());
        assertArrayEquals(expected.lossMask(), actual.lossMask());
    }
}
