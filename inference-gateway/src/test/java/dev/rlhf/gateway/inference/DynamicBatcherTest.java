package dev.rlhf.gateway.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.gateway.service.GatewayException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher against a fake model that records each execution's calls. The first call ("block") holds the worker
 * until released, so that the calls submitted meanwhile are all queued when the next batch is formed.
 */
class DynamicBatcherTest {

    private final List<List<String>> executions = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private DynamicBatcher batcher;

    private List<List<OutputTensor>> execute(List<InferCall> calls) {
        List<String> ids = calls.stream().map(InferCall::id).toList();
        executions.add(ids);
        if (ids.contains("block")) {
            entered.countDown();
            await(release);
        }
        if (ids.contains("bad")) {
            throw new GatewayException.InvalidRequest("bad row");
        }
        return calls.stream()
                .map(c -> List.of(new OutputTensor("out", new long[] {c.rows()}, new float[c.rows()])))
                .toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DynamicBatcher start(int maxBatchSize, Duration delay) {
        batcher = new DynamicBatcher("m", maxBatchSize, delay, 1, this::execute, new BatchStatistics());
        return batcher;
    }

    @AfterEach
    void close() {
        release.countDown();
        batcher.close();
    }

    private static InferCall call(String id, int rows) {
        return new InferCall(id, rows, 3, Map.of("ids", new long[rows * 3]), List.of());
    }

    /** Submits "block", waits until it runs, then submits {@code calls} and lets everything run. */
    private List<CompletableFuture<List<OutputTensor>>> queuedBehindABlock(InferCall... calls) throws Exception {
        CompletableFuture<List<OutputTensor>> block = batcher.submit(call("block", 1));
        await(entered);
        List<CompletableFuture<List<OutputTensor>>> results = new ArrayList<>();
        for (InferCall call : calls) {
            results.add(batcher.submit(call));
        }
        release.countDown();
        block.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<List<OutputTensor>> result : results) {
            try {
                result.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException expectedForBadCalls) {
                // checked by the test
            }
        }
        return results;
    }

    @Test
    void queuedCallsAreMergedUpToMaxBatchSizeRows() throws Exception {
        start(4, Duration.ZERO);
        queuedBehindABlock(call("a", 1), call("b", 1), call("c", 3), call("d", 1), call("e", 2), call("f", 2));
        // c (3 rows) does not fit after a and b, so it heads the next batch; likewise f after e
        assertEquals(List.of(List.of("block"), List.of("a", "b"), List.of("c", "d"), List.of("e", "f")), executions);
        assertEquals(4, batcher.statistics().executions());
        assertEquals(11, batcher.statistics().inferences());
    }

    @Test
    void withoutMergingEveryCallRunsAlone() throws Exception {
        start(8, null);
        queuedBehindABlock(call("a", 1), call("b", 1));
        assertEquals(List.of(List.of("block"), List.of("a"), List.of("b")), executions);
    }

    @Test
    void theFirstCallWaitsUpToTheQueueDelayForOthers() throws Exception {
        start(8, Duration.ofMillis(300));
        CompletableFuture<List<OutputTensor>> a = batcher.submit(call("a", 1));
        Thread.sleep(50);
        CompletableFuture<List<OutputTensor>> b = batcher.submit(call("b", 1));
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("a", "b")), executions);
    }

    /** Under load the queue holds a full batch as soon as the worker is free: it runs at once, not after the delay. */
    @Test
    void aFullBatchRunsWithoutWaitingOutTheQueueDelay() throws Exception {
        start(2, Duration.ofSeconds(30));
        long start = System.nanoTime();
        CompletableFuture<List<OutputTensor>> a = batcher.submit(call("a", 1));
        CompletableFuture<List<OutputTensor>> b = batcher.submit(call("b", 1));
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("a", "b")), executions);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "a full batch waited for the delay");
    }

    @Test
    void aFailedMergeIsRerunCallByCallSoOnlyTheBadCallFails() throws Exception {
        start(8, Duration.ZERO);
        List<CompletableFuture<List<OutputTensor>>> results =
                queuedBehindABlock(call("a", 1), call("bad", 1), call("c", 2));
        assertEquals(
                List.of(List.of("block"), List.of("a", "bad", "c"), List.of("a"), List.of("bad"), List.of("c")),
                executions);
        assertEquals(2, results.get(2).get().get(0).shape()[0]);
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> results.get(1).get());
        assertInstanceOf(GatewayException.InvalidRequest.class, e.getCause());
        assertEquals(1, batcher.statistics().fail().count());
    }

    @Test
    void closingFailsWhatIsStillQueued() throws Exception {
        start(1, Duration.ZERO);
        batcher.submit(call("block", 1));
        await(entered);
        CompletableFuture<List<OutputTensor>> queued = batcher.submit(call("a", 1));
        batcher.close(); // interrupts the worker out of "block"; "a" never runs
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS));
        assertInstanceOf(GatewayException.Unavailable.class, e.getCause());
        assertEquals(List.of(List.of("block")), executions);
    }
}
