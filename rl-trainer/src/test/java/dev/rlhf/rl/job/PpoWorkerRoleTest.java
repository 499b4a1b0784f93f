package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.proto.v1.JobEnd;
import dev.rlhf.proto.v1.PolicyVersion;
import dev.rlhf.rl.kafka.BrokerUnreachableException;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.kafka.KafkaClients;
import dev.rlhf.rl.kafka.PolicyVersions;
import dev.rlhf.rl.kafka.TopicAdmin;
import dev.rlhf.rl.kafka.UnknownJobException;
import dev.rlhf.rl.net.FreePort;
import dev.rlhf.rl.testing.TinyPpoFiles;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code role: worker} process refuses what it cannot join, before it loads a model or starts scoring: a broker
 * that does not answer, a job whose learner never created its topics, a job whose learner has ended. Each is an
 * {@link IllegalArgumentException} with one line naming the address or the job: the command line's exit 2.
 * {@code @QuarkusTest} because submission loads the tokenizers, whose natives load once per JVM, in Quarkus' loader.
 */
@QuarkusTest
class PpoWorkerRoleTest {

    private static EmbeddedKafkaBroker broker;
    private static KafkaClients clients;

    @TempDir
    Path dir;

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
    void aWorkerOfAJobThatDoesNotExistStopsNamingIt() throws Exception {
        PreparedJob worker = worker("nobody-started-me", broker.bootstrapServers());
        String job = worker.runDir().getFileName().toString();

        UnknownJobException e = assertThrows(UnknownJobException.class, () -> worker.run(JobContext.silent()));
        assertTrue(
                e.getMessage()
                        .startsWith("PPO job '" + job + "' does not exist on the Kafka cluster at "
                                + broker.bootstrapServers()),
                e.getMessage());
        assertTrue(e instanceof IllegalArgumentException, "exit 2 on the command line");
        try (TopicAdmin admin = new TopicAdmin(clients)) {
            assertThrows(UnknownJobException.class, () -> admin.awaitJob(job, java.time.Duration.ofMillis(1)));
        }
    }

    @Test
    void aWorkerOfAJobThatHasEndedStopsNamingIt() throws Exception {
        PreparedJob worker = worker("finished-before", broker.bootstrapServers());
        String job = worker.runDir().getFileName().toString();
        try (TopicAdmin admin = new TopicAdmin(clients);
                PolicyVersions.Publisher learner = PolicyVersions.publisher(clients, job)) {
            admin.ensureJobTopics(job, 1, 1);
            learner.announce(PolicyVersion.newBuilder()
                    .setJobId(job)
                    .setVersion(3)
                    .setCheckpointPath(dir.resolve("policies/v3").toString())
                    .setJobEnd(JobEnd.JOB_END_FINISHED)
                    .build());
        }

        UnknownJobException e = assertThrows(UnknownJobException.class, () -> worker.run(JobContext.silent()));
        assertTrue(e.getMessage().startsWith("PPO job '" + job + "' has ended (JOB_END_FINISHED)"), e.getMessage());
    }

    @Test
    void anUnreachableBrokerIsOneLineNamingTheBootstrapAddress() throws Exception {
        String nobody = "127.0.0.1:" + FreePort.loopback();
        PreparedJob worker = worker("no-broker", nobody);

        BrokerUnreachableException e =
                assertThrows(BrokerUnreachableException.class, () -> worker.run(JobContext.silent()));
        assertEquals(
                "kafka.bootstrap: no Kafka broker answered at " + nobody + " within 1 s (kafka.connect_timeout_s)",
                e.getMessage());
    }

    /**
     * A worker job over model directories holding a tokenizer (with its chat template, which submission checks) but no
     * weights: none of these cases may get as far as loading a model.
     */
    private PreparedJob worker(String exp, String bootstrap) throws Exception {
        for (String model : List.of("sft", "rm")) {
            Path to = Files.createDirectories(dir.resolve(model));
            for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
                Files.copy(
                        TinyPpoFiles.ROOT
                                .resolve("configs/tokenizer/shakespeare-2k")
                                .resolve(file),
                        to.resolve(file),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\": \"hi\"}\n");
        String body = String.join(
                "\n",
                "role: worker",
                "policy: {path: " + dir.resolve("sft") + ", reward_model: " + dir.resolve("rm") + "}",
                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                "scoring: {endpoint: '127.0.0.1:" + FreePort.loopback() + "'}",
                "kafka: {bootstrap: '" + bootstrap + "', connect_timeout_s: 1}",
                "output_dir: " + dir.resolve("runs"),
                "exp: " + exp);
        return new PpoJobRunner(List.of(), dir.resolve("gateway.jar")).prepare(JobSpec.ofBody(body));
    }
}
