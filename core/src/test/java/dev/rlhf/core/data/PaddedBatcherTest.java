package dev.rlhf.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.tokenizer.MaskedTokens;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedBatcherTest {
    private static final long PAD = 1;

    private final List<MaskedTokens> examples = Examples.random(23, 12, 3);
    private final DatasetMixer mixer =
            new DatasetMixer(List.of(new MixSource("x", 23, Portion.all(), new Portion.Size(0))), 9);
    private final PaddedBatcher batcher = new PaddedBatcher(examples, mixer::epoch, 5, PAD);

    @Test
    void rowsAreRightPaddedToTheLongestAndKeepTheirMasks() {
        List<Batch> batches = new ArrayList<>();
        batcher.batches(0).forEachRemaining(batches::add);
        assertEquals(5, batches.size());
        assertEquals(3, batches.get(4).rows(), "the last batch holds what is left");
        int[] order = mixer.epoch(0);
        for (int s = 0; s < batches.size(); s++) {
            Batch batch = batches.get(s);
            for (int b = 0; b < batch.rows(); b++) {
                MaskedTokens example = examples.get(order[s * 5 + b]);
                for (int t = 0; t < batch.length(); t++) {
                    boolean real = t < example.length();
                    assertEquals(real ? example.ids()[t] : PAD, batch.ids()[b][t]);
                    assertEquals(real ? 1 : 0, batch.paddingMask()[b][t]);
                    assertEquals(real && example.lossMask()[t] ? 1 : 0, batch.lossMask()[b][t]);
                }
            }
        }
    }

    @Test
    void resumingAtAStepGivesTheRemainingBatches() {
        List<Batch> all = new ArrayList<>();
        batcher.batches(1).forEachRemaining(all::add);
        List<Batch> resumed = new ArrayList<>();
        batcher.batches(1, 3).forEachRemaining(resumed::add);
        assertEquals(all.size() - 3, resumed.size());
        for (int i = 0; i < resumed.size(); i++) {
            assertArrayEquals(all.get(3 + i).ids(), resumed.get(i).ids());
            assertArrayEquals(all.get(3 + i).lossMask(), resumed.get(i).lossMask());
        }
    }
}
