package dev.rlhf.rl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.rollout.RolloutMaker;
import dev.rlhf.core.rollout.RolloutRewards;
import dev.rlhf.core.rollout.Scorer;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.proto.v1.JobEnd;
import dev.rlhf.proto.v1.PolicyVersion;
import dev.rlhf.proto.v1.PromptRecord;
import dev.rlhf.rl.config.RlServiceConfig;
import dev.rlhf.rl.kafka.ConsumedPrompt;
import dev.rlhf.rl.kafka.EmbeddedKafkaBroker;
import dev.rlhf.rl.kafka.KafkaClients;
import dev.rlhf.rl.kafka.PolicyVersions;
import dev.rlhf.rl.kafka.PromptQueue;
import dev.rlhf.rl.kafka.RolloutLog;
import dev.rlhf.rl.kafka.TopicAdmin;
import dev.rlhf.rl.kafka.TopicNames;
import dev.rlhf.rl.testing.TinyPpoFiles;
import dev.rlhf.rl.worker.LocalWorkers;
import dev.rlhf.rl.worker.RolloutWorker;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

/**
 * A {@code role: worker} job (what {@code ./rlhf ppo --set role=worker} runs in its own JVM) against a real broker:
 * it does not answer a prompt its policy is too old for ({@code kafka.max_staleness}), and when the learner announces
 * the job's end it stops and the job succeeds (exit 0), leaving the unanswered prompt uncommitted. A QuarkusTest
 * because the worker loads a DJL model.
 */
@QuarkusTest
class PpoWorkerEndTest {

    @Inject
    RlServiceConfig rl; // the gateway jar embedded scoring starts

    @Test
    void aWorkerHoldsBackAPromptTooFarAheadOfItsPolicyAndEndsWithTheLearner() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-worker-end"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaClients clients = KafkaClients.open(broker.connection())) {
            // Embedded scoring: had the worker answered, its rollout would show on the topic.
            String body = files.config(
                    4,
                    4,
                    "role: worker",
                    "kafka: {bootstrap: '" + broker.bootstrapServers() + "', max_staleness: 1, partitions: 1}",
                    "exp: worker-end");
            PreparedJob worker = new PpoJobRunner(List.of(), rl.gatewayJar()).prepare(JobSpec.ofBody(body));
            String job = worker.runDir().getFileName().toString();
            try (TopicAdmin admin = new TopicAdmin(clients);
                    PolicyVersions.Publisher learner = PolicyVersions.publisher(clients, job);
                    PromptQueue.Publisher prompts = PromptQueue.publisher(clients, job)) {
                admin.ensureJobTopics(job, 1, 1);
                learner.announce(version(job, 0, files.policy, JobEnd.JOB_END_UNSPECIFIED));
                // Iteration 2 at max_staleness 1 needs policy version 1 at least, whatever the prompt asks for.
                prompts.publish(List.of(PromptRecord.newBuilder()
                        .setJobId(job)
                        .setIteration(2)
                        .setIndex(0)
                        .setPrompt("question number 0?")
                        .setMinPolicyVersion(0)
                        .build()));

                CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                    try {
                        worker.run(JobContext.silent());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitMember(broker.bootstrapServers(), TopicNames.workerGroup(job), running);
                try (RolloutLog.Reader rollouts = RolloutLog.reader(clients, job, 10, Duration.ofMinutes(1))) {
                    long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                    while (System.nanoTime() < until) {
                        assertTrue(rollouts.poll(Duration.ofMillis(200)).isEmpty(), "no rollout from version 0");
                        assertFalse(running.isDone(), "the worker waits: " + running);
                    }
                }

                learner.announce(version(job, 0, files.policy, JobEnd.JOB_END_FINISHED));
                running.get(60, TimeUnit.SECONDS); // returns normally: exit 0
            }
            try (PromptQueue.Worker next = PromptQueue.worker(clients, job, "after", 10, Duration.ofMinutes(1))) {
                List<ConsumedPrompt> again = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (again.isEmpty() && System.nanoTime() < deadline) {
                    again.addAll(next.poll(Duration.ofMillis(200)).prompts());
                }
                assertEquals(1, again.size(), "the unanswered prompt was not committed");
                assertEquals(2, again.get(0).prompt().getIteration());
            }
        }
    }

    @Test
    void aWorkerIgnoresTheEndOfAnEarlierRunAndStopsAtThisRunsEnd() throws Exception {
        TinyPpoFiles files = TinyPpoFiles.write(Files.createTempDirectory("ppo-worker-resumed"));
        PpoConfig config = files.bind(files.config(4, 4));
        String job = "resumed-after-cancel";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaClients clients = KafkaClients.open(broker.connection());
                TopicAdmin admin = new TopicAdmin(clients);
                PolicyVersions.Publisher learner = PolicyVersions.publisher(clients, job);
                Tokenizer tokenizer = Tokenizer.load(config.policy().path())) {
            admin.ensureJobTopics(job, 1, 1);
            learner.announce(version(job, 2, files.policy, JobEnd.JOB_END_CANCELLED)); // the earlier run's end
            Scorer scorer = new Scorer() { // never called: nothing is answered
                        @Override
                        public List<float[]> referenceLogprobs(List<long[]> sequences) {
                            throw new UnsupportedOperationException("no scoring in this test");
                        }

                        @Override
                        public float[] rewards(List<long[]> sequences) {
                            throw new UnsupportedOperationException("no scoring in this test");
                        }
                    };
            try (RolloutRewards rewards = RolloutRewards.of(config, scorer, tokenizer)) {
                ChatLayout layout = ChatLayout.of(tokenizer);
                RolloutMaker maker = new RolloutMaker(layout, layout, scorer, rewards, config.generation(), 16);
                // role all starts its workers before the resumed learner announces again
                try (LocalWorkers workers = LocalWorkers.start(
                        List.of(new RolloutWorker("w", job, clients, maker, config.rewardSources(), 4, 1, 1)))) {
                    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (System.nanoTime() < until) {
                        workers.checkAlive();
                        assertFalse(workers.allEnded(), "an end found on joining is an earlier run's");
                        Thread.sleep(100);
                    }
                    learner.announce(version(job, 2, files.policy, JobEnd.JOB_END_UNSPECIFIED)); // resumed
                    learner.announce(version(job, 2, files.policy, JobEnd.JOB_END_FINISHED));
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (!workers.allEnded() && System.nanoTime() < deadline) {
                        workers.checkAlive();
                        Thread.sleep(50);
                    }
                    assertTrue(workers.allEnded(), "this run's end stops the worker");
                }
            }
        }
    }

    /** Until the worker has joined its group (it polls the prompt from then on), or fails. */
    private static void awaitMember(String bootstrap, String group, CompletableFuture<Void> running) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!hasMembers(admin, group)) {
                assertFalse(running.isDone(), "the worker started: " + running);
                assertTrue(System.nanoTime() < deadline, "the worker joined group " + group);
                Thread.sleep(200);
            }
        }
    }

    private static boolean hasMembers(Admin admin, String group) throws InterruptedException {
        try {
            return !admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get()
                    .get(group)
                    .members()
                    .isEmpty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false; // nobody has joined yet
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static PolicyVersion version(String job, long v, Path checkpoint, JobEnd end) {
        return PolicyVersion.newBuilder()
                .setJobId(job)
                .setVersion(v)
                .setCheckpointPath(checkpoint.toAbsolutePath().toString())
                .setJobEnd(end)
                .build();
    }
}
