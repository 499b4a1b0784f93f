package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.v1.PromptRecord;
import io.vertx.kafka.client.common.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PromptQueueTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaPerClass kafka = new KafkaPerClass();

    /** A rollout worker reduced to its Kafka part: take a prompt, "answer" it, commit it. */
    private static final class WorkerLoop implements AutoCloseable {

        final List<PromptRecord> answered = new CopyOnWriteArrayList<>();
        volatile Set<TopicPartition> assignment = Set.of();
        private volatile boolean running = true;
        private final Thread thread;

        WorkerLoop(String job, String workerId) {
            thread = new Thread(
                    () -> {
                        try (PromptQueue.Worker worker =
                                PromptQueue.worker(kafka.clients(), job, workerId, 4, Duration.ofMinutes(1))) {
                            while (running) {
                                List<ConsumedPrompt> batch =
                                        worker.poll(Duration.ofMillis(100)).prompts();
                                batch.forEach(prompt -> answered.add(prompt.prompt()));
                                worker.commit(batch);
                                assignment = Set.copyOf(worker.assignment());
                            }
                        }
                    },
                    workerId);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    @Test
    void twoWorkersInOneGroupSplitAnIterationWithoutOverlapOrLoss() throws Exception {
        String job = TestRecords.newJobId("split");
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 4, 4);
        }
        List<PromptRecord> prompts = IntStream.range(0, 64)
                .mapToObj(i -> TestRecords.prompt(job, 0, i))
                .toList();

        try (WorkerLoop a = new WorkerLoop(job, "a");
                WorkerLoop b = new WorkerLoop(job, "b");
                PromptQueue.Publisher learner = PromptQueue.publisher(kafka.clients(), job)) {
            await(
                    () -> a.assignment.size() == 2 && b.assignment.size() == 2,
                    "both workers hold 2 of the 4 partitions");
            learner.publish(prompts);
            await(() -> a.answered.size() + b.answered.size() >= 64, "64 prompts answered");
            // Give a duplicate delivery, if there were one, time to show.
            Thread.sleep(300);

            Set<PromptRecord> byA = new HashSet<>(a.answered);
            Set<PromptRecord> byB = new HashSet<>(b.answered);
            Set<PromptRecord> union = new HashSet<>(byA);
            union.addAll(byB);
            Set<PromptRecord> overlap = new HashSet<>(byA);
            overlap.retainAll(byB);

            assertEquals(Set.copyOf(prompts), union, "no prompt lost");
            assertEquals(Set.of(), overlap, "no prompt taken by both workers");
            assertEquals(64, a.answered.size() + b.answered.size(), "no prompt taken twice");
            // index mod 4 picks the partition, so 2 partitions hold exactly half of the batch.
            assertEquals(32, a.answered.size());
            assertEquals(32, b.answered.size());
        }
    }

    @Test
    void aPromptPolledButNotCommittedGoesToTheNextWorker() {
        String job = TestRecords.newJobId("redeliver");
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 2, 2);
        }
        List<PromptRecord> prompts = IntStream.range(0, 6)
                .mapToObj(i -> TestRecords.prompt(job, 1, i))
                .toList();
        try (PromptQueue.Publisher learner = PromptQueue.publisher(kafka.clients(), job)) {
            learner.publish(prompts);
        }

        Set<PromptRecord> firstTry = new HashSet<>();
        try (PromptQueue.Worker crashing =
                PromptQueue.worker(kafka.clients(), job, "crashing", 100, Duration.ofMinutes(1))) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (firstTry.size() < 6 && System.nanoTime() < deadline) {
                // Commits only prompt 0, then "dies" before publishing the other rollouts.
                for (ConsumedPrompt prompt :
                        crashing.poll(Duration.ofMillis(100)).prompts()) {
                    firstTry.add(prompt.prompt());
                    if (prompt.prompt().getIndex() == 0) {
                        crashing.commit(List.of(prompt));
                    }
                }
            }
        }
        assertEquals(Set.copyOf(prompts), firstTry);

        Set<Integer> secondTry = new HashSet<>();
        try (PromptQueue.Worker next = PromptQueue.worker(kafka.clients(), job, "next", 100, Duration.ofMinutes(1))) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (secondTry.size() < 5 && System.nanoTime() < deadline) {
                next.poll(Duration.ofMillis(100))
                        .prompts()
                        .forEach(p -> secondTry.add(p.prompt().getIndex()));
            }
            assertTrue(next.poll(Duration.ofMillis(300)).prompts().isEmpty());
        }
        assertEquals(Set.of(1, 2, 3, 4, 5), secondTry, "everything but the committed prompt comes again");
    }

    @Test
    void aBatchCommitsEachPartitionPastItsHighestPromptAndNeverBack() {
        String job = TestRecords.newJobId("batch-commit");
        String group = TopicNames.workerGroup(job);
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 2, 2);
            try (PromptQueue.Publisher learner = PromptQueue.publisher(kafka.clients(), job)) {
                // index mod 2 picks the partition: 0, 2, 4 at offsets 0, 1, 2 of partition 0; 1, 3, 5 of partition 1
                learner.publish(IntStream.range(0, 6)
                        .mapToObj(i -> TestRecords.prompt(job, 0, i))
                        .toList());
            }
            try (PromptQueue.Worker worker =
                    PromptQueue.worker(kafka.clients(), job, "w", 100, Duration.ofMinutes(1))) {
                Map<Integer, ConsumedPrompt> taken = new HashMap<>();
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (taken.size() < 6 && System.nanoTime() < deadline) {
                    worker.poll(Duration.ofMillis(100))
                            .prompts()
                            .forEach(p -> taken.put(p.prompt().getIndex(), p));
                }
                assertEquals(6, taken.size());

                worker.commit(List.of(taken.get(4), taken.get(0), taken.get(3))); // answers out of order
                assertEquals(
                        Map.of(0, 0L, 1, 1L),
                        admin.lag(group, TopicNames.prompts(job)),
                        "partition 0 past index 4 (offset 2), partition 1 past index 3 (offset 1)");

                worker.commit(List.of(taken.get(1)));
                assertEquals(Map.of(0, 0L, 1, 1L), admin.lag(group, TopicNames.prompts(job)), "never moves back");
            }
        }
    }

    /**
     * A record on the prompts topic that is no prompt of this job (garbage bytes, another job's prompt) is skipped,
     * named by topic, partition and offset, counted, and committed past with the prompts: the worker answers the rest
     * and a worker that comes after it does not see it again.
     */
    @Test
    void aCorruptRecordIsSkippedNamedCountedAndCommittedPast() throws Exception {
        String job = TestRecords.newJobId("corrupt-prompt");
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 1, 1);
        }
        try (PromptQueue.Publisher learner = PromptQueue.publisher(kafka.clients(), job)) {
            learner.publish(List.of(TestRecords.prompt(job, 0, 0)));
            TestRecords.writeRaw(
                    kafka.broker().bootstrapServers(), TopicNames.prompts(job), new byte[] {(byte) 0xff, 1});
            learner.publish(List.of(TestRecords.prompt(job, 0, 1)));
        }
        List<Integer> answered = new ArrayList<>();
        List<CorruptRecord> skipped = new ArrayList<>();
        try (PromptQueue.Worker worker = PromptQueue.worker(kafka.clients(), job, "w", 100, Duration.ofMinutes(1))) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while ((answered.size() < 2 || skipped.isEmpty()) && System.nanoTime() < deadline) {
                PromptQueue.Polled polled = worker.poll(Duration.ofMillis(100));
                polled.prompts().forEach(p -> answered.add(p.prompt().getIndex()));
                skipped.addAll(polled.corrupt());
                worker.commit(polled.prompts());
                worker.commit(polled.corrupt());
            }
            assertEquals(List.of(0, 1), answered);
            assertEquals(1, worker.corrupt());
        }
        assertEquals(1, skipped.size());
        assertTrue(
                skipped.get(0).describe().startsWith(TopicNames.prompts(job) + "-0@1 (2 bytes: "),
                skipped.get(0).describe());
        try (PromptQueue.Worker next = PromptQueue.worker(kafka.clients(), job, "next", 100, Duration.ofMinutes(1))) {
            PromptQueue.Polled again = next.poll(Duration.ofSeconds(3));
            assertTrue(again.prompts().isEmpty() && again.corrupt().isEmpty(), "all committed: " + again);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
