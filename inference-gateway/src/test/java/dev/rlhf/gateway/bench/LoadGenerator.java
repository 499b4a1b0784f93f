package dev.rlhf.gateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.IntConsumer;

/**
 * Closed-loop load: {@code concurrency} threads each send one request, wait for its answer and send the next, for a
 * warm-up period (not measured) and then a measured one. A failed request is counted and the thread goes on, so a run
 * always lasts its time and reports how many failed.
 */
final class LoadGenerator {
    private LoadGenerator() {}

    /** CPU seconds this process has used so far. */
    static final DoubleSupplier OWN_CPU = () ->
            ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1e9;

    /** A clock that reads NaN: no server process to account for. */
    static final DoubleSupplier NO_CPU = () -> Double.NaN;

    /** The first failure of the latest run, for the report; null when none failed. */
    private static final AtomicReference<Throwable> FIRST_FAILURE = new AtomicReference<>();

    /**
     * @param call sends request number i and returns when it is answered (throws on failure)
     * @param serverCpu CPU seconds of the serving process so far, read at the start and end of the measured period
     */
    static LoadResult run(
            int concurrency, double warmupSeconds, double seconds, IntConsumer call, DoubleSupplier serverCpu)
            throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        FIRST_FAILURE.set(null);
        for (int t = 0; t < concurrency; t++) {
            long[] latencies = new long[1 << 20];
            perThread.add(latencies);
            int thread = t;
            Thread worker = new Thread(() -> {
                int n = 0;
                try {
                    for (int i = thread; !stop.get(); i += concurrency) {
                        long start = System.nanoTime();
                        try {
                            call.accept(i);
                        } catch (RuntimeException e) {
                            if (measuring.get()) {
                                errors.incrementAndGet();
                            }
                            FIRST_FAILURE.compareAndSet(null, e);
                            continue;
                        }
                        if (measuring.get() && n < latencies.length) {
                            latencies[n++] = System.nanoTime() - start;
                        }
                    }
                } finally {
                    synchronized (counts) {
                        counts[thread] = n;
                    }
                    done.countDown();
                }
            });
            worker.start();
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        double serverStart = serverCpu.getAsDouble();
        double clientStart = OWN_CPU.getAsDouble();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double serverSeconds = serverCpu.getAsDouble() - serverStart;
        double clientSeconds = OWN_CPU.getAsDouble() - clientStart;
        stop.set(true);
        done.await();
        long[] all;
        synchronized (counts) {
            int total = 0;
            for (int c : counts) {
                total += c;
            }
            all = new long[total];
            int at = 0;
            for (int t = 0; t < concurrency; t++) {
                System.arraycopy(perThread.get(t), 0, all, at, counts[t]);
                at += counts[t];
            }
        }
        return LoadResult.of(all, elapsed, errors.get(), serverSeconds, clientSeconds);
    }

    /** The first request that failed in the latest run, or null. */
    static Throwable firstFailure() {
        return FIRST_FAILURE.get();
    }
}
