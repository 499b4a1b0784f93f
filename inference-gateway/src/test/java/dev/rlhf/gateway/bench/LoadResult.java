package dev.rlhf.gateway.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Requests per second, latency percentiles, failures and CPU cost of one timed run.
 *
 * @param requestsPerSecond answered requests (failures not counted) per second
 * @param p50Micros median latency of the answered requests
 * @param p99Micros 99th percentile latency of the answered requests
 * @param errors requests that failed (any status but OK, a deadline included)
 * @param serverCpuMillis CPU time the serving process used per answered request; NaN when there is none
 * @param clientCpuMillis CPU time the load generator's process used per answered request
 */
record LoadResult(
        double requestsPerSecond,
        double p50Micros,
        double p99Micros,
        long errors,
        double serverCpuMillis,
        double clientCpuMillis) {

    static LoadResult of(long[] latenciesNanos, double seconds, long errors, double serverCpu, double clientCpu) {
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return new LoadResult(
                n / seconds,
                percentile(sorted, 0.50) / 1e3,
                percentile(sorted, 0.99) / 1e3,
                errors,
                n == 0 ? Double.NaN : serverCpu * 1e3 / n,
                n == 0 ? Double.NaN : clientCpu * 1e3 / n);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** Field by field medians of {@code runs}; the errors of all runs added up. */
    static LoadResult median(List<LoadResult> runs) {
        return new LoadResult(
                median(runs.stream().mapToDouble(LoadResult::requestsPerSecond).toArray()),
                median(runs.stream().mapToDouble(LoadResult::p50Micros).toArray()),
                median(runs.stream().mapToDouble(LoadResult::p99Micros).toArray()),
                runs.stream().mapToLong(LoadResult::errors).sum(),
                median(runs.stream().mapToDouble(LoadResult::serverCpuMillis).toArray()),
                median(runs.stream().mapToDouble(LoadResult::clientCpuMillis).toArray()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
