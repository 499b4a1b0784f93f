package dev.rlhf.core.rm;

/**
 * Counts over the pairs of ranked groups: how many, how many the rewards order right (r_better > r_worse strictly), and
 * the sum of r_better - r_worse.
 */
record PairOutcomes(long pairs, long correct, double marginSum) {
    static PairOutcomes of(float[] rewards, int[] groupSizes) {
        RankedPairs pairs = RankedPairs.of(groupSizes);
        long correct = 0;
        double sum = 0;
        for (int p = 0; p < pairs.size(); p++) {
            double diff = rewards[(int) pairs.better()[p]] - rewards[(int) pairs.worse()[p]];
            correct += diff > 0 ? 1 : 0;
            sum += diff;
        }
        return new PairOutcomes(pairs.size(), correct, sum);
    }

    PairOutcomes plus(PairOutcomes other) {
        return new PairOutcomes(pairs + other.pairs, correct + other.correct, marginSum + other.marginSum);
    }

    double accuracy() {
        return pairs == 0 ? Double.NaN : (double) correct / pairs;
    }

    double meanMargin() {
        return pairs == 0 ? Double.NaN : marginSum / pairs;
    }
}
