package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.v1.Rollout;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RolloutLogTest {

    @RegisterExtension
    static final KafkaPerClass kafka = new KafkaPerClass();

    @Test
    void uncommittedRolloutsComeAgainAndTheDeduplicatorKeepsEachOnce() {
        String job = newJob("replay", 3);
        // Iteration 4 at policy version 4: 24 answers, 6 of them published twice (a worker answered a prompt whose
        // commit was lost), and 2 answers from a policy too old for max_staleness 1.
        List<Rollout> answers =
                IntStream.range(0, 24).mapToObj(i -> rollout(job, i, 4)).toList();
        List<Rollout> published = new ArrayList<>(answers);
        published.addAll(answers.subList(0, 6));
        published.add(rollout(job, 24, 2));
        published.add(rollout(job, 25, 1));
        publish(job, published);

        // The first learner reads everything, crashes before its checkpoint and never commits.
        try (RolloutLog.Reader crashed = reader(job)) {
            assertEquals(32, pollAtLeast(crashed, 32).size());
        }

        RolloutDeduplicator dedup = new RolloutDeduplicator(1);
        Set<Rollout> trainingSet = new HashSet<>();
        try (RolloutLog.Reader restarted = reader(job)) {
            publish(job, List.of(rollout(job, 26, 4))); // written after the restarted learner started
            List<ConsumedRollout> again = pollAtLeast(restarted, 33);
            assertEquals(33, again.size(), "every uncommitted record is read again");
            for (ConsumedRollout record : again) {
                assertEquals(
                        record.rollout().getIndex() != 26,
                        restarted.beforeStart(record),
                        "what an earlier learner run left on the topic is told apart");
            }
            restarted.commit(RolloutOffsets.after(again));
            again = again.stream().filter(r -> r.rollout().getIndex() != 26).toList();
            for (ConsumedRollout record : again) {
                if (dedup.accept(record.rollout(), 4) == RolloutDeduplicator.Verdict.KEEP) {
                    trainingSet.add(record.rollout());
                }
            }
        }

        assertEquals(Set.copyOf(answers), trainingSet);
        assertEquals(24, dedup.kept());
        assertEquals(6, dedup.duplicates());
        assertEquals(2, dedup.stale());
        try (RolloutLog.Reader afterCommit = reader(job)) {
            assertTrue(afterCommit.poll(Duration.ofSeconds(2)).isEmpty(), "committed records are not read again");
        }
    }

    @Test
    void aCommitCoversExactlyTheRecordsAStepUsed() {
        String job = newJob("partial", 3);
        List<Rollout> published =
                IntStream.range(0, 30).mapToObj(i -> rollout(job, i, 0)).toList();
        publish(job, published);

        Set<Rollout> usedByStep = new HashSet<>();
        try (RolloutLog.Reader learner = reader(job)) {
            List<ConsumedRollout> consumed = pollAtLeast(learner, 30);
            // The step trains on the first 12 received; the rest were read ahead for the next step.
            List<ConsumedRollout> step = consumed.subList(0, 12);
            step.forEach(r -> usedByStep.add(r.rollout()));
            learner.commit(RolloutOffsets.after(step));
        }

        Set<Rollout> readAfterRestart = new HashSet<>();
        try (RolloutLog.Reader restarted = reader(job)) {
            pollAtLeast(restarted, 18).forEach(r -> readAfterRestart.add(r.rollout()));
            assertTrue(restarted.poll(Duration.ofMillis(500)).isEmpty());
        }

        assertEquals(18, readAfterRestart.size(), "the read-ahead records come again, the used ones do not");
        Set<Rollout> overlap = new HashSet<>(usedByStep);
        overlap.retainAll(readAfterRestart);
        assertEquals(Set.of(), overlap);
        Set<Rollout> all = new HashSet<>(usedByStep);
        all.addAll(readAfterRestart);
        assertEquals(Set.copyOf(published), all);
    }

    @Test
    void aLearnerRestartedFromItsCheckpointSkipsWhatTheCheckpointCovers() {
        String job = newJob("resume", 2);
        List<Rollout> published =
                IntStream.range(0, 20).mapToObj(i -> rollout(job, i, 0)).toList();
        publish(job, published);

        RolloutOffsets checkpointed;
        Set<Rollout> trained = new HashSet<>();
        try (RolloutLog.Reader crashed = reader(job)) {
            List<ConsumedRollout> step = pollAtLeast(crashed, 20).subList(0, 8);
            step.forEach(r -> trained.add(r.rollout()));
            // The checkpoint is written with the step's offsets; the learner dies before it commits them.
            checkpointed = RolloutOffsets.after(step);
        }

        Set<Rollout> afterRestart = new HashSet<>();
        try (RolloutLog.Reader restarted =
                RolloutLog.reader(kafka.clients(), job, 500, Duration.ofMinutes(1), checkpointed)) {
            pollAtLeast(restarted, 12).forEach(r -> afterRestart.add(r.rollout()));
            assertTrue(restarted.poll(Duration.ofMillis(500)).isEmpty());
        }

        assertEquals(12, afterRestart.size());
        Set<Rollout> all = new HashSet<>(trained);
        all.addAll(afterRestart);
        assertEquals(Set.copyOf(published), all, "each rollout trained on exactly once");
    }

    @Test
    void aCorruptRecordIsSkippedCountedNamedAndCommittedPast() {
        String job = newJob("corrupt", 1);
        String topic = TopicNames.rollouts(job);
        publish(job, List.of(rollout(job, 0, 0)));
        // Not protobuf at all (wire type 7 does not exist), then a valid rollout of another job.
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        byte[] foreign = TestRecords.rollout("another-job", 4, 9, 0, 4).toByteArray();
        KafkaProducer<String, byte[]> raw = KafkaProducer.create(
                kafka.clients().vertx(),
                kafka.clients().properties(Map.of()),
                new StringSerializer(),
                new ByteArraySerializer());
        try {
            KafkaClients.await(raw.send(KafkaProducerRecord.create(topic, "x", garbage)), "garbage");
            KafkaClients.await(raw.send(KafkaProducerRecord.create(topic, "y", foreign)), "foreign");
        } finally {
            KafkaClients.await(raw.close(), "close");
        }
        publish(job, List.of(rollout(job, 1, 0)));

        List<ConsumedRollout> rollouts = new ArrayList<>();
        List<CorruptRecord> corrupt = new ArrayList<>();
        try (RolloutLog.Reader learner = reader(job)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (rollouts.size() + corrupt.size() < 4 && System.nanoTime() < deadline) {
                RolloutLog.Polled polled = learner.poll(Duration.ofMillis(200));
                rollouts.addAll(polled.rollouts());
                corrupt.addAll(polled.corrupt());
            }
            List<RecordPosition> used = new ArrayList<>(rollouts);
            used.addAll(corrupt);
            learner.commit(RolloutOffsets.after(used));
        }

        assertEquals(
                List.of(0, 1),
                rollouts.stream().map(r -> r.rollout().getIndex()).toList(),
                "both rollouts read");
        assertEquals(
                List.of(1L, 2L), corrupt.stream().map(CorruptRecord::offset).toList(), "both others skipped");
        assertTrue(
                corrupt.get(0).describe().startsWith(topic + "-0@1 (4 bytes: "),
                corrupt.get(0).describe());
        assertTrue(
                corrupt.get(1).describe().contains("job_id 'another-job'"),
                corrupt.get(1).describe());
        try (RolloutLog.Reader restarted = reader(job)) {
            assertTrue(restarted.poll(Duration.ofSeconds(2)).isEmpty(), "a corrupt record is committed past");
        }
    }

    private static String newJob(String name, int partitions) {
        String job = TestRecords.newJobId(name);
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, partitions, partitions);
        }
        return job;
    }

    private static Rollout rollout(String job, int index, long policyVersion) {
        return TestRecords.rollout(job, 4, index, policyVersion, 16);
    }

    private static void publish(String job, List<Rollout> rollouts) {
        try (RolloutLog.Publisher worker = RolloutLog.publisher(kafka.clients(), job, "w0")) {
            worker.publishAll(rollouts);
        }
    }

    private static RolloutLog.Reader reader(String job) {
        return RolloutLog.reader(kafka.clients(), job, 500, Duration.ofMinutes(1));
    }

    private static List<ConsumedRollout> pollAtLeast(RolloutLog.Reader reader, int count) {
        return EmbeddedKafkaBrokerTest.pollAtLeast(reader, count);
    }
}
