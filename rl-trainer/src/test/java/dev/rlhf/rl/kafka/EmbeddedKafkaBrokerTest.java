package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.v1.Rollout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @RegisterExtension
    static final KafkaPerClass kafka = new KafkaPerClass();

    @Test
    void listensOnLoopbackAndRoundTripsARollout() {
        assertTrue(
                kafka.broker().bootstrapServers().startsWith("127.0.0.1:"),
                kafka.broker().bootstrapServers());
        String job = TestRecords.newJobId("roundtrip");
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 2, 2);
        }
        Rollout sent = TestRecords.rollout(job, 3, 7, 2, 300);

        try (RolloutLog.Publisher publisher = RolloutLog.publisher(kafka.clients(), job, "w0");
                RolloutLog.Reader reader = RolloutLog.reader(kafka.clients(), job, 100, Duration.ofMinutes(1))) {
            publisher.publish(sent);
            List<ConsumedRollout> received = pollAtLeast(reader, 1);

            assertEquals(1, received.size());
            assertEquals(sent, received.get(0).rollout());
            assertEquals(0, received.get(0).offset());
        }
    }

    @Test
    void aTemporaryLogDirIsDeletedOnClose() {
        Path logDir;
        try (EmbeddedKafkaBroker temporary = EmbeddedKafkaBroker.start()) {
            logDir = temporary.logDir();
            assertTrue(Files.isDirectory(logDir));
        }
        assertTrue(!Files.exists(logDir), "temporary log dir deleted on close");
    }

    @Test
    void ensureIsIdempotentAndOnlyGrowsTopics() {
        String topic = TopicNames.prompts(TestRecords.newJobId("admin"));
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            assertEquals(2, admin.ensure(topic, 2));
            assertEquals(2, admin.ensure(topic, 2));
            assertEquals(4, admin.ensure(topic, 4));
            assertEquals(4, admin.ensure(topic, 1));
            assertEquals(4, admin.partitions(topic));
        }
    }

    @Test
    void aGivenLogDirKeepsItsTopicsAcrossRestarts(@TempDir Path dir) {
        Path logDir = dir.resolve("kafka");
        String topic = TopicNames.rollouts(TestRecords.newJobId("restart"));
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(logDir, Map.of());
                KafkaClients firstClients = KafkaClients.open(first.connection());
                TopicAdmin admin = new TopicAdmin(firstClients)) {
            admin.ensure(topic, 3);
        }
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(logDir, Map.of());
                KafkaClients secondClients = KafkaClients.open(second.connection());
                TopicAdmin admin = new TopicAdmin(secondClients)) {
            assertEquals(3, admin.partitions(topic));
        }
        assertTrue(Files.isDirectory(logDir), "a given log dir is kept");
    }

    /**
     * A broker stopped and started again on its log dir and port is the same cluster at the same address: clients
     * opened before the stop (a worker's producer, the learner's group) carry on against the second broker.
     */
    @Test
    void clientsReconnectToABrokerRestartedOnItsPort(@TempDir Path dir) {
        Path logDir = dir.resolve("kafka");
        int port = dev.rlhf.rl.net.FreePort.loopback();
        String job = TestRecords.newJobId("reconnect");
        EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(logDir, port, Map.of());
        try (KafkaClients survivor = KafkaClients.open(first.connection())) {
            try (TopicAdmin admin = new TopicAdmin(survivor)) {
                admin.ensureJobTopics(job, 2, 2);
            }
            RolloutLog.Publisher publisher = RolloutLog.publisher(survivor, job, "w0");
            RolloutLog.Reader reader = RolloutLog.reader(survivor, job, 100, Duration.ofMinutes(1));
            publisher.publish(TestRecords.rollout(job, 0, 0, 0, 4));
            List<ConsumedRollout> before = pollAtLeast(reader, 1);
            assertEquals(1, before.size());
            reader.commit(RolloutOffsets.after(before)); // kept in the log dir: the group resumes past it
            first.close();

            try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(logDir, port, Map.of())) {
                assertEquals(first.bootstrapServers(), second.bootstrapServers());
                publisher.publish(TestRecords.rollout(job, 0, 1, 0, 4)); // the same producer, reconnected
                List<ConsumedRollout> after = pollAtLeast(reader, 1); // the same group member, reconnected
                assertEquals(1, after.size());
                assertEquals(1, after.get(0).rollout().getIndex());
                reader.close();
                publisher.close();
            }
        }
    }

    @Test
    void aRolloutOfAnotherJobIsRefused() {
        String job = TestRecords.newJobId("other");
        try (RolloutLog.Publisher publisher = RolloutLog.publisher(kafka.clients(), job, "w0")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> publisher.publish(TestRecords.rollout("someone-else", 0, 1, 0, 4)));
            assertEquals("rollout 0:1 has job_id 'someone-else', this log is for job '" + job + "'", e.getMessage());
        }
    }

    static List<ConsumedRollout> pollAtLeast(RolloutLog.Reader reader, int count) {
        List<ConsumedRollout> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            received.addAll(reader.poll(Duration.ofMillis(200)).rollouts());
        }
        return received;
    }
}
