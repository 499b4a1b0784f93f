package dev.rlhf.gateway.inference;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one model, the ones Triton reports in ModelStatistics: requests (success, fail, time queued, time in
 * the model), executions (merged batches run) and inferences (rows), and a histogram of executions by batch size.
 * Thread-safe; readers see each counter's current value.
 */
public final class BatchStatistics {

    /** Count and total nanoseconds of one kind of event. */
    public record Duration(long count, long nanos) {}

    private final Counter success = new Counter();
    private final Counter fail = new Counter();
    private final Counter queue = new Counter();
    private final Counter computeInfer = new Counter();
    private final LongAdder executions = new LongAdder();
    private final LongAdder inferences = new LongAdder();
    private final AtomicLong lastInferenceMillis = new AtomicLong();
    private final Map<Integer, Counter> bySize = new ConcurrentHashMap<>();

    /** One merged batch of {@code rows} ran for {@code nanos}. */
    void execution(int rows, long nanos) {
        executions.increment();
        inferences.add(rows);
        lastInferenceMillis.set(System.currentTimeMillis());
        bySize.computeIfAbsent(rows, size -> new Counter()).add(nanos);
    }

    /** One request finished: it waited {@code queueNanos}, spent {@code computeNanos} in the model, all in all {@code totalNanos}. */
    void request(boolean ok, long queueNanos, long computeNanos, long totalNanos) {
        (ok ? success : fail).add(totalNanos);
        queue.add(queueNanos);
        if (ok) {
            computeInfer.add(computeNanos);
        }
    }

    /** Successful model executions: merged batches run (a failed merge re-run row by row counts each re-run). */
    public long executions() {
        return executions.sum();
    }

    /** Requests' rows inferred. */
    public long inferences() {
        return inferences.sum();
    }

    public long lastInferenceMillis() {
        return lastInferenceMillis.get();
    }

    public Duration success() {
        return success.read();
    }

    public Duration fail() {
        return fail.read();
    }

    public Duration queue() {
        return queue.read();
    }

    public Duration computeInfer() {
        return computeInfer.read();
    }

    /** Executions by batch size (rows): how often each size ran and for how long. */
    public SortedMap<Integer, Duration> bySize() {
        SortedMap<Integer, Duration> out = new TreeMap<>();
        bySize.forEach((size, counter) -> out.put(size, counter.read()));
        return out;
    }

    private static final class Counter {
        private final LongAdder count = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        void add(long duration) {
            count.increment();
            nanos.add(duration);
        }

        Duration read() {
            return new Duration(count.sum(), nanos.sum());
        }
    }
}
