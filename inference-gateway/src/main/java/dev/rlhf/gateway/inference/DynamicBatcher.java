package dev.rlhf.gateway.inference;

import dev.rlhf.gateway.service.GatewayException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Triton-style dynamic batching for one model: requests queue up; a worker (one per model instance) takes the oldest,
 * then keeps taking queued requests while their rows fit in {@code max_batch_size} and the oldest has waited less than
 * the queue delay, and runs them as one execution. A request that would overflow the batch starts the next one.
 *
 * <p>If a merged execution fails, each of its requests is run again alone, so one bad request fails only its own
 * caller. With merging off, every request runs alone.
 */
public final class DynamicBatcher implements AutoCloseable {

    private record Pending(InferCall call, long enqueued, CompletableFuture<List<OutputTensor>> result) {}

    private final String model;
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final boolean merging;
    private final Function<List<InferCall>, List<List<OutputTensor>>> execute;
    private final BatchStatistics statistics;
    private final BlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param maxDelay how long the oldest request may wait for others; null turns merging off
     * @param execute runs merged calls and returns each call's outputs, in order
     */
    public DynamicBatcher(
            String model,
            int maxBatchSize,
            Duration maxDelay,
            int instances,
            Function<List<InferCall>, List<List<OutputTensor>>> execute,
            BatchStatistics statistics) {
        this.model = model;
        this.maxBatchSize = maxBatchSize;
        this.merging = maxDelay != null;
        this.maxDelayNanos = merging ? maxDelay.toNanos() : 0;
        this.execute = execute;
        this.statistics = statistics;
        for (int i = 0; i < instances; i++) {
            Thread worker = new Thread(this::work, "model-" + model + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    BatchStatistics statistics() {
        return statistics;
    }

    /** Queues {@code call}; the future completes with its outputs or fails with a {@link GatewayException}. */
    public CompletableFuture<List<OutputTensor>> submit(InferCall call) {
        Pending pending = new Pending(call, System.nanoTime(), new CompletableFuture<>());
        queue.addLast(pending);
        if (closed && queue.remove(pending)) {
            pending.result().completeExceptionally(shuttingDown());
        }
        return pending.result();
    }

    private void work() {
        try {
            while (!closed) {
                List<Pending> batch = nextBatch();
                long start = System.nanoTime();
                try {
                    List<List<OutputTensor>> outputs =
                            execute.apply(batch.stream().map(Pending::call).toList());
                    finish(batch, outputs, start);
                } catch (RuntimeException e) {
                    if (batch.size() == 1) {
                        fail(batch.get(0), e, start);
                    } else {
                        batch.forEach(this::runAlone);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    /** The oldest request plus whatever fits and arrives before its queue delay runs out. */
    private List<Pending> nextBatch() throws InterruptedException {
        Pending first = queue.takeFirst();
        List<Pending> batch = new ArrayList<>(List.of(first));
        int rows = first.call().rows();
        long deadline = first.enqueued() + maxDelayNanos;
        while (merging && rows < maxBatchSize) {
            long wait = deadline - System.nanoTime();
            Pending next = wait > 0 ? queue.pollFirst(wait, TimeUnit.NANOSECONDS) : queue.pollFirst();
            if (next == null) {
                break;
            }
            if (rows + next.call().rows() > maxBatchSize) {
                queue.addFirst(next); // heads the next batch
                break;
            }
            batch.add(next);
            rows += next.call().rows();
        }
        return batch;
    }

    private void runAlone(Pending pending) {
        long start = System.nanoTime();
        try {
            finish(List.of(pending), execute.apply(List.of(pending.call())), start);
        } catch (RuntimeException e) {
            fail(pending, e, start);
        }
    }

    private void finish(List<Pending> batch, List<List<OutputTensor>> outputs, long start) {
        long end = System.nanoTime();
        statistics.execution(batch.stream().mapToInt(p -> p.call().rows()).sum(), end - start);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            statistics.request(true, start - p.enqueued(), end - start, end - p.enqueued());
            p.result().complete(outputs.get(i));
        }
    }

    private void fail(Pending pending, RuntimeException error, long start) {
        long end = System.nanoTime();
        statistics.request(false, start - pending.enqueued(), end - start, end - pending.enqueued());
        pending.result().completeExceptionally(error);
    }

    private GatewayException shuttingDown() {
        return new GatewayException.Unavailable("model '" + model + "' is shutting down", true, null);
    }

    /** Stops the workers (an execution in progress finishes) and fails the requests still queued. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Pending pending; (pending = queue.pollFirst()) != null; ) {
            pending.result().completeExceptionally(shuttingDown());
        }
    }
}
