package dev.rlhf.core.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The K-wise ranking loss of InstructGPT (Ouyang et al., 2022, eq. 1) over ranked groups: each group's K replies are
 * scored in one forward pass (one row each), and every pair i < j of a group, i ranked above j, is a Bradley-Terry
 * comparison:
 *
 * <pre>
 *     loss = mean over all pairs (i, j) of all groups g of  -log sigmoid(r[i] - r[j] - margin[g])
 * </pre>
 *
 * <p>The mean is over pairs, so a group of K weighs K (K - 1) / 2 pairs. With K = 2 for every group it is exactly
 * {@link BradleyTerryLoss} over (chosen, rejected) pairs.
 */
public final class RankingLoss {
    private RankingLoss() {}

    /**
     * @param rewards one reward per row (N), the rows of each group adjacent and best first
     * @param groupSizes K of each group, summing to N
     * @param margins the margin of each group
     * @return the mean loss over pairs, a scalar
     */
    public static NDArray evaluate(NDArray rewards, int[] groupSizes, float[] margins) {
        RankedPairs pairs = RankedPairs.of(groupSizes);
        NDManager m = rewards.getManager();
        NDArray better = rewards.gather(m.create(pairs.better()), 0); // (P)
        NDArray worse = rewards.gather(m.create(pairs.worse()), 0); // (P)
        return BradleyTerryLoss.evaluate(better, worse, m.create(pairs.perPair(margins)));
    }
}
