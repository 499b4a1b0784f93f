package dev.rlhf.gateway.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Requests per second and latency percentiles of one timed run.
 *
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 */
record LoadResult(double requestsPerSecond, double p50Micros, double p99Micros) {

    static LoadResult of(long[] latenciesNanos, double seconds) {
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        return new LoadResult(sorted.length / seconds, percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** The run whose throughput is the median of {@code runs}, field by field medians otherwise. */
    static LoadResult median(List<LoadResult> runs) {
        return new LoadResult(
                median(runs.stream().mapToDouble(LoadResult::requestsPerSecond).toArray()),
                median(runs.stream().mapToDouble(LoadResult::p50Micros).toArray()),
                median(runs.stream().mapToDouble(LoadResult::p99Micros).toArray()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
