package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.rl.net.FreePort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a process learns from the admin client before it joins a job: is the broker there, does the job exist. */
class TopicAdminTest {

    @RegisterExtension
    static final KafkaPerClass kafka = new KafkaPerClass();

    @Test
    void anUnreachableBrokerIsOneLineNamingTheAddressAfterTheTimeout() {
        String nobody = "127.0.0.1:" + FreePort.loopback();
        long t0 = System.nanoTime();
        try (KafkaClients unreachable = KafkaClients.open(KafkaConnection.of(nobody));
                TopicAdmin admin = new TopicAdmin(unreachable)) {
            BrokerUnreachableException e =
                    assertThrows(BrokerUnreachableException.class, () -> admin.awaitBroker(Duration.ofSeconds(2)));
            assertEquals(
                    "kafka.bootstrap: no Kafka broker answered at " + nobody + " within 2 s (kafka.connect_timeout_s)",
                    e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds >= 2 && seconds < 30, "gave up after the timeout, not before nor much later: " + seconds);
    }

    @Test
    void aReachableBrokerAnswers() {
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.awaitBroker(Duration.ofSeconds(30));
        }
    }

    @Test
    void aJobWithoutTopicsIsNamedAndOneWithThemIsJoined() {
        String job = TestRecords.newJobId("missing");
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            UnknownJobException e =
                    assertThrows(UnknownJobException.class, () -> admin.awaitJob(job, Duration.ofSeconds(1)));
            assertTrue(
                    e.getMessage()
                            .startsWith("PPO job '" + job + "' does not exist on the Kafka cluster at "
                                    + kafka.broker().bootstrapServers()),
                    e.getMessage());
            assertTrue(e.getMessage().contains(TopicNames.policyVersions(job)), e.getMessage());

            admin.ensureJobTopics(job, 2, 2);
            admin.awaitJob(job, Duration.ofSeconds(30));
        }
    }

    @Test
    void lagIsWhatAGroupHasNotCommittedPerPartition() {
        String job = TestRecords.newJobId("lag");
        String group = TopicNames.workerGroup(job);
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 2, 1);
            try (PromptQueue.Publisher learner = PromptQueue.publisher(kafka.clients(), job)) {
                // index mod 2 is the partition: 0, 2, 4 at offsets 0, 1, 2 of partition 0; 1, 3, 5 on partition 1
                learner.publish(IntStream.range(0, 6)
                        .mapToObj(i -> TestRecords.prompt(job, 0, i))
                        .toList());
            }
            assertEquals(Map.of(0, 3L, 1, 3L), admin.lag(group, TopicNames.prompts(job)), "nothing committed");

            try (PromptQueue.Worker worker =
                    PromptQueue.worker(kafka.clients(), job, "w", 100, Duration.ofMinutes(1))) {
                List<ConsumedPrompt> taken = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (taken.size() < 6 && System.nanoTime() < deadline) {
                    taken.addAll(worker.poll(Duration.ofMillis(200)).prompts());
                }
                worker.commit(
                        taken.stream().filter(p -> p.prompt().getIndex() == 2).toList());
            }
            assertEquals(Map.of(0, 1L, 1, 3L), admin.lag(group, TopicNames.prompts(job)), "two of partition 0 done");
        }
    }

    @Test
    void topicsGetTheClustersReplicationFactorAndPolicyVersionsAreCompacted() {
        String job = TestRecords.newJobId("created");
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 3, 2);
            assertEquals(3, admin.partitions(TopicNames.prompts(job)));
            assertEquals(2, admin.partitions(TopicNames.rollouts(job)));
            assertEquals(1, admin.partitions(TopicNames.policyVersions(job)));
        }
    }
}
