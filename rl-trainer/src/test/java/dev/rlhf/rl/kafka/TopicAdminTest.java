package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.rl.net.FreePort;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a process learns from the admin client before it joins a job: is the broker there, does the job exist. */
class TopicAdminTest {

    private static EmbeddedKafkaBroker broker;
    private static KafkaClients clients;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        clients = KafkaClients.open(broker.connection());
    }

    @AfterAll
    static void stopBroker() {
        clients.close();
        broker.close();
    }

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
        try (TopicAdmin admin = new TopicAdmin(clients)) {
            admin.awaitBroker(Duration.ofSeconds(30));
        }
    }

    @Test
    void aJobWithoutTopicsIsNamedAndOneWithThemIsJoined() {
        String job = TestRecords.newJobId("missing");
        try (TopicAdmin admin = new TopicAdmin(clients)) {
            UnknownJobException e =
                    assertThrows(UnknownJobException.class, () -> admin.awaitJob(job, Duration.ofSeconds(1)));
            assertTrue(
                    e.getMessage()
                            .startsWith("PPO job '" + job + "' does not exist on the Kafka cluster at "
                                    + broker.bootstrapServers()),
                    e.getMessage());
            assertTrue(e.getMessage().contains(TopicNames.policyVersions(job)), e.getMessage());

            admin.ensureJobTopics(job, 2, 2);
            admin.awaitJob(job, Duration.ofSeconds(30));
        }
    }

    @Test
    void topicsGetTheClustersReplicationFactorAndPolicyVersionsAreCompacted() {
        String job = TestRecords.newJobId("created");
        try (TopicAdmin admin = new TopicAdmin(clients)) {
            admin.ensureJobTopics(job, 3, 2);
            assertEquals(3, admin.partitions(TopicNames.prompts(job)));
            assertEquals(2, admin.partitions(TopicNames.rollouts(job)));
            assertEquals(1, admin.partitions(TopicNames.policyVersions(job)));
        }
    }
}
