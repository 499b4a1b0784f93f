package dev.rlhf.core.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The K-wise loss: its pairs, K = 2 against the pairwise loss, K = 3 by hand. */
class RankingLossTest {

    @Test
    void groupsOfTwoGiveExactlyThePairwiseLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            // rows: c0 r0 c1 r1 c2 r2
            float[] rewards = {1.0f, 0.0f, 0.5f, 1.5f, -0.25f, -2.0f};
            float[] margins = {0f, 0.5f, 1.0f};
            float kWise = RankingLoss.evaluate(m.create(rewards), new int[] {2, 2, 2}, margins)
                    .getFloat();
            float pairwise = BradleyTerryLoss.evaluate(
                            m.create(new float[] {1.0f, 0.5f, -0.25f}),
                            m.create(new float[] {0.0f, 1.5f, -2.0f}),
                            m.create(margins))
                    .getFloat();
            assertEquals(pairwise, kWise, 1e-7);
        }
    }

    @Test
    void threeRankedRepliesGiveThreePairsAveraged() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray rewards = m.create(new float[] {2f, 1f, -1f, 0.5f, 0.25f}); // a group of 3, then a pair
            double expected = (BradleyTerryLossTest.nll(1)
                            + BradleyTerryLossTest.nll(3)
                            + BradleyTerryLossTest.nll(2)
                            + BradleyTerryLossTest.nll(0.25 - 0.1))
                    / 4;
            float loss = RankingLoss.evaluate(rewards, new int[] {3, 2}, new float[] {0f, 0.1f})
                    .getFloat();
            assertEquals(expected, loss, 1e-6, "mean over the 4 pairs, not over the 2 groups");
        }
    }

    @Test
    void pairsAreEveryIBeforeJInsideEachGroup() {
        RankedPairs pairs = RankedPairs.of(new int[] {3, 2});
        assertArrayEquals(new long[] {0, 0, 1, 3}, pairs.better());
        assertArrayEquals(new long[] {1, 2, 2, 4}, pairs.worse());
        assertArrayEquals(new int[] {0, 0, 0, 1}, pairs.group());
        assertArrayEquals(new float[] {7f, 7f, 7f, 9f}, pairs.perPair(new float[] {7f, 9f}));
        assertThrows(IllegalArgumentException.class, () -> RankedPairs.of(new int[] {2, 1}));
    }

    @Test
    void outcomesCountTiesAsWrong() {
        PairOutcomes outcomes = PairOutcomes.of(new float[] {2f, 1f, 1f, 0f, 0f}, new int[] {3, 2});
        assertEquals(4, outcomes.pairs());
        assertEquals(2, outcomes.correct(), "2>1, 2>1 right; 1=1 and 0=0 ties");
        assertEquals((1 + 1 + 0 + 0) / 4.0, outcomes.meanMargin(), 1e-12);
    }
}
