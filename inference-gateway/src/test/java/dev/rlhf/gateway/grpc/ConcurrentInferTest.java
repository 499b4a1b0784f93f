package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.gateway.GatewayTestClient;
import dev.rlhf.gateway.OrtReference;
import dev.rlhf.gateway.TestRepository;
import dev.rlhf.gateway.TestRequests;
import dev.rlhf.proto.client.FloatTensor;
import dev.rlhf.proto.client.InferResponses;
import dev.rlhf.proto.inference.ModelStatistics;
import dev.rlhf.proto.inference.ModelStatisticsRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 64 clients at once, each with its own rows of its own length: dynamic batching must merge some of them (fewer model
 * executions than requests), and each client must still get exactly what its request gets alone.
 */
@QuarkusTest
@WithTestResource(TestRepository.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentInferTest {

    private static final int CLIENTS = 64;

    private GatewayTestClient gateway;
    private ExecutorService clients;

    @BeforeAll
    void connect() {
        gateway = new GatewayTestClient();
        clients = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterAll
    void close() throws Exception {
        clients.shutdownNow();
        gateway.close();
    }

    /** Client i sends 1 to 3 rows of one length between 4 and 100 tokens, right-padded only by the gateway. */
    private static List<long[][]> inputs(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[][]> inputs = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int length = random.nextInt(4, 101);
            long[][] rows = new long[1 + i % 3][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = TestRequests.randomIds(random, length);
            }
            inputs.add(rows);
        }
        return inputs;
    }

    @Test
    void concurrentRewardRequestsAreMergedAndEachGetsItsOwnAnswer() throws Exception {
        List<long[][]> inputs = inputs(1);
        List<float[]> alone = new ArrayList<>();
        try (OrtReference ort = new OrtReference("rm")) {
            for (long[][] rows : inputs) {
                alone.add((float[]) ort.run(rows, TestRequests.ones(rows)));
            }
        }
        ModelStatistics before = statistics("rm");
        List<FloatTensor> answers = runConcurrently("rm", "rewards", inputs);
        for (int i = 0; i < CLIENTS; i++) {
            assertArrayEquals(new long[] {inputs.get(i).length}, answers.get(i).shape(), "client " + i);
            assertArrayEquals(alone.get(i), answers.get(i).data(), 1e-5f, "client " + i);
        }
        assertMerged(before, statistics("rm"), inputs);
    }

    @Test
    void concurrentLogProbRequestsAreCutBackToTheirOwnLength() throws Exception {
        List<long[][]> inputs = inputs(2);
        List<float[][]> alone = new ArrayList<>();
        try (OrtReference ort = new OrtReference("ref")) {
            for (long[][] rows : inputs) {
                alone.add((float[][]) ort.run(rows, TestRequests.ones(rows)));
            }
        }
        ModelStatistics before = statistics("ref");
        List<FloatTensor> answers = runConcurrently("ref", "logprobs", inputs);
        for (int i = 0; i < CLIENTS; i++) {
            long[][] rows = inputs.get(i);
            assertArrayEquals(
                    new long[] {rows.length, rows[0].length - 1}, answers.get(i).shape(), "client " + i);
            float[][] got = answers.get(i).toRows();
            for (int r = 0; r < rows.length; r++) {
                assertArrayEquals(alone.get(i)[r], got[r], 1e-5f, "client " + i + " row " + r);
            }
        }
        assertMerged(before, statistics("ref"), inputs);
    }

    private List<FloatTensor> runConcurrently(String model, String output, List<long[][]> inputs) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<FloatTensor>> futures = new ArrayList<>();
        for (long[][] rows : inputs) {
            futures.add(clients.submit(() -> {
                start.await();
                return InferResponses.fp32(
                        gateway.inference().modelInfer(TestRequests.raw(model, rows, output)), output);
            }));
        }
        start.countDown();
        List<FloatTensor> answers = new ArrayList<>();
        for (Future<FloatTensor> future : futures) {
            answers.add(future.get(120, TimeUnit.SECONDS));
        }
        return answers;
    }

    private void assertMerged(ModelStatistics before, ModelStatistics after, List<long[][]> inputs) {
        long rows = inputs.stream().mapToLong(r -> r.length).sum();
        long executions = after.getExecutionCount() - before.getExecutionCount();
        assertEquals(rows, after.getInferenceCount() - before.getInferenceCount());
        assertTrue(executions < CLIENTS, executions + " executions for " + CLIENTS + " requests: nothing was merged");
        assertTrue(
                after.getBatchStatsList().stream().allMatch(b -> b.getBatchSize() <= TestRepository.MAX_BATCH),
                after.getBatchStatsList().toString());
        assertTrue(after.getBatchStatsList().stream().anyMatch(b -> b.getBatchSize() > 3));
    }

    private ModelStatistics statistics(String model) {
        return gateway.inference()
                .modelStatistics(
                        ModelStatisticsRequest.newBuilder().setName(model).build())
                .getModelStats(0);
    }
}
