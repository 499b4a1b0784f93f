package dev.rlhf.gateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Closed-loop load: {@code concurrency} threads each send one request, wait for its answer and send the next, for a
 * warm-up period (not measured) and then a measured one.
 */
final class LoadGenerator {
    private LoadGenerator() {}

    /** @param call sends request number i and returns when it is answered (throws on failure) */
    static LoadResult run(int concurrency, double warmupSeconds, double seconds, IntConsumer call)
            throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> perThread = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < concurrency; t++) {
            long[] latencies = new long[1 << 20];
            perThread.add(latencies);
            counts.add(0);
            int thread = t;
            Thread worker = new Thread(() -> {
                int n = 0;
                try {
                    for (int i = thread; !stop.get(); i += concurrency) {
                        long start = System.nanoTime();
                        call.accept(i);
                        if (measuring.get() && n < latencies.length) {
                            latencies[n++] = System.nanoTime() - start;
                        }
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                } finally {
                    synchronized (counts) {
                        counts.set(thread, n);
                    }
                    done.countDown();
                }
            });
            threads.add(worker);
            worker.start();
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        done.await();
        if (failure[0] != null) {
            throw new IllegalStateException("a request failed: " + failure[0], failure[0]);
        }
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < concurrency; t++) {
            System.arraycopy(perThread.get(t), 0, all, at, counts.get(t));
            at += counts.get(t);
        }
        return LoadResult.of(all, elapsed);
    }
}
