package dev.rlhf.core.rm;

/**
 * Every ordered pair of a batch of ranked groups: for groups of K_g rows, adjacent and best first, the pairs (i, j)
 * with i < j inside each group, K_g (K_g - 1) / 2 of them; a pair's better row is i. Indices are rows of the batch.
 *
 * @param better the better row of each pair (P)
 * @param worse the worse row of each pair (P)
 * @param group the group each pair comes from (P)
 */
public record RankedPairs(long[] better, long[] worse, int[] group) {

    /** The pairs of groups of the given sizes, group after group, in (i, j) order. */
    public static RankedPairs of(int[] groupSizes) {
        int pairs = 0;
        for (int k : groupSizes) {
            if (k < 2) {
                throw new IllegalArgumentException("a ranked group needs at least two rows, got " + k);
            }
            pairs += k * (k - 1) / 2;
        }
        long[] better = new long[pairs];
        long[] worse = new long[pairs];
        int[] group = new int[pairs];
        int p = 0;
        int first = 0;
        for (int g = 0; g < groupSizes.length; g++) {
            for (int i = 0; i < groupSizes[g]; i++) {
                for (int j = i + 1; j < groupSizes[g]; j++) {
                    better[p] = first + i;
                    worse[p] = first + j;
                    group[p++] = g;
                }
            }
            first += groupSizes[g];
        }
        return new RankedPairs(better, worse, group);
    }

    /** P, the number of pairs. */
    public int size() {
        return better.length;
    }

    /** The per-group values spread to each pair (P). */
    public float[] perPair(float[] perGroup) {
        float[] out = new float[size()];
        for (int p = 0; p < out.length; p++) {
            out[p] = perGroup[group[p]];
        }
        return out;
    }
}
