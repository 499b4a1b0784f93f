package dev.rlhf.core.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.data.PairBatch;
import dev.rlhf.core.data.PairBatcher;
import dev.rlhf.core.data.RankedExample;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A reply's reward does not depend on the batch it is scored in: padding, neighbours, group sizes. */
class RewardBatchingTest {

    private static final int PAD = 0;

    private static long[] ids(Random random, int length) {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = 1 + random.nextInt(39);
        }
        return out;
    }

    @Test
    void aPairScoredAloneAndInsideAPaddedMixedBatchGetsTheSameRewards() {
        Random random = new Random(3);
        RankedExample pair = new RankedExample(List.of(ids(random, 9), ids(random, 5)), 0);
        RankedExample longer = new RankedExample(List.of(ids(random, 3), ids(random, 17)), 0);
        RankedExample ranked = new RankedExample(List.of(ids(random, 7), ids(random, 4), ids(random, 12)), 0);
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1), 2)) {
            RmTask task = new RmTask(rm, null, PAD);
            PairBatcher batcher = new PairBatcher(List.of(), epoch -> new int[0], 4, PAD);
            float[] alone = task.rewards(batcher.pad(List.of(pair)));
            PairBatch mixed = batcher.pad(List.of(longer, pair, ranked));
            assertEquals(17, mixed.ids()[0].length, "padded to the longest row");
            float[] inBatch = task.rewards(mixed);
            assertArrayEquals(alone, new float[] {inBatch[2], inBatch[3]}, 1e-5f);

            RewardScorer scorer = new RewardScorer(rm, PAD, 3);
            for (int r = 0; r < 2; r++) {
                float single = scorer.scoreBatch(List.of(pair.completions().get(r)))[0];
                assertEquals(single, alone[r], 1e-5f, "no padding at all");
            }
            List<long[]> all = List.of(
                    longer.completions().get(0),
                    longer.completions().get(1),
                    pair.completions().get(0),
                    pair.completions().get(1),
                    ranked.completions().get(0),
                    ranked.completions().get(1),
                    ranked.completions().get(2));
            assertArrayEquals(inBatch, scorer.score(all), 1e-5f, "sorted by length, returned in order");
        }
    }
}
