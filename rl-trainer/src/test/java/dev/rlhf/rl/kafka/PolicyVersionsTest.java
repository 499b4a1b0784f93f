package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.v1.JobEnd;
import dev.rlhf.proto.v1.PolicyVersion;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PolicyVersionsTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaPerClass kafka = new KafkaPerClass();

    @Test
    void aStartingWorkerSeesTheLatestVersionThenOnlyNewerOnes() {
        String job = newJob();
        try (PolicyVersions.Publisher learner = PolicyVersions.publisher(kafka.clients(), job)) {
            for (long v = 0; v <= 2; v++) {
                learner.announce(version(job, v));
            }

            try (PolicyVersions.Listener worker = PolicyVersions.listener(kafka.clients(), job, CATCH_UP)) {
                assertEquals(Optional.of(version(job, 2)), worker.latest(), "read on start");
                assertEquals(Optional.empty(), worker.poll(Duration.ofMillis(200)));

                learner.announce(version(job, 3));
                learner.announce(version(job, 4));
                // A late, older announcement must not roll the worker back.
                learner.announce(version(job, 1));

                Optional<PolicyVersion> newest = pollUntilPresent(worker);
                assertEquals(4, newest.orElseThrow().getVersion(), "the newest announced version");
                assertEquals(Optional.empty(), worker.poll(Duration.ofMillis(300)));
                assertEquals(4, worker.latest().orElseThrow().getVersion());
            }
        }
    }

    /**
     * A record on the policy-versions topic that is no announcement of this job is skipped and listed with its
     * topic, partition and offset, on start and while following; the versions around it are read as usual.
     */
    @Test
    void aCorruptRecordIsSkippedAndNamedOnStartAndWhileFollowing() {
        String job = newJob();
        String topic = TopicNames.policyVersions(job);
        try (PolicyVersions.Publisher learner = PolicyVersions.publisher(kafka.clients(), job)) {
            learner.announce(version(job, 0));
            TestRecords.writeRaw(kafka.broker().bootstrapServers(), topic, new byte[] {(byte) 0xff, (byte) 0xff, 1});
            learner.announce(version(job, 1));
            try (PolicyVersions.Listener worker = PolicyVersions.listener(kafka.clients(), job, CATCH_UP)) {
                assertEquals(1, worker.latest().orElseThrow().getVersion(), "read past it on start");
                assertEquals(1, worker.corrupt().size());
                assertTrue(worker.corrupt().get(0).describe().startsWith(topic + "-0@1 (3 bytes: "));

                learner.announce(version("another-job", 7)); // the wrong job's announcement, on this job's topic
                learner.announce(version(job, 2));
                long deadline = System.nanoTime() + CATCH_UP.toNanos();
                while (worker.latest().orElseThrow().getVersion() < 2 && System.nanoTime() < deadline) {
                    worker.poll(Duration.ofMillis(100));
                }
                assertEquals(2, worker.latest().orElseThrow().getVersion());
                assertEquals(2, worker.corrupt().size());
                assertTrue(
                        worker.corrupt().get(1).describe().contains("job_id 'another-job', not this job's"),
                        worker.corrupt().get(1).describe());
            }
        }
    }

    @Test
    void theJobsEndIsSeenOnStartAndWhileFollowingAndAResumedJobClearsIt() {
        String job = newJob();
        try (PolicyVersions.Publisher learner = PolicyVersions.publisher(kafka.clients(), job)) {
            learner.announce(version(job, 0));
            try (PolicyVersions.Listener worker = PolicyVersions.listener(kafka.clients(), job, CATCH_UP)) {
                assertEquals(Optional.empty(), worker.ended());
                learner.announce(version(job, 1).toBuilder()
                        .setJobEnd(JobEnd.JOB_END_CANCELLED)
                        .build());
                long deadline = System.nanoTime() + CATCH_UP.toNanos();
                while (worker.ended().isEmpty() && System.nanoTime() < deadline) {
                    worker.poll(Duration.ofMillis(100));
                }
                assertEquals(Optional.of(JobEnd.JOB_END_CANCELLED), worker.ended(), "seen while following");
                assertEquals(1, worker.latest().orElseThrow().getVersion());
            }
            try (PolicyVersions.Listener late = PolicyVersions.listener(kafka.clients(), job, CATCH_UP)) {
                assertEquals(Optional.of(JobEnd.JOB_END_CANCELLED), late.ended(), "seen by a worker that joins late");
            }
            learner.announce(version(job, 1)); // the job resumed from its checkpoint
            try (PolicyVersions.Listener afterResume = PolicyVersions.listener(kafka.clients(), job, CATCH_UP)) {
                assertEquals(Optional.empty(), afterResume.ended(), "a later announcement clears the end");
                assertEquals(1, afterResume.latest().orElseThrow().getVersion());
            }
        }
    }

    @Test
    void beforeTheFirstAnnouncementThereIsNoVersion() {
        String job = newJob();
        try (PolicyVersions.Listener worker = PolicyVersions.listener(kafka.clients(), job, CATCH_UP)) {
            assertTrue(worker.latest().isEmpty());
        }
    }

    @Test
    void aMissingTopicIsNamed() {
        String job = TestRecords.newJobId("no-topics");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> PolicyVersions.listener(kafka.clients(), job, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains(TopicNames.policyVersions(job)), e.getMessage());
    }

    private static String newJob() {
        String job = TestRecords.newJobId("versions");
        try (TopicAdmin admin = new TopicAdmin(kafka.clients())) {
            admin.ensureJobTopics(job, 1, 1);
        }
        return job;
    }

    private static PolicyVersion version(String job, long v) {
        return PolicyVersion.newBuilder()
                .setJobId(job)
                .setVersion(v)
                .setCheckpointPath("runs/" + job + "/checkpoints/v" + v)
                .setCreatedAtMs(1_700_000_000_000L + v)
                .build();
    }

    private static Optional<PolicyVersion> pollUntilPresent(PolicyVersions.Listener worker) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        Optional<PolicyVersion> latest = Optional.empty();
        // Keep polling until version 4 has arrived; an earlier poll may have returned 3 alone.
        while (System.nanoTime() < deadline
                && latest.map(PolicyVersion::getVersion).orElse(-1L) < 4) {
            Optional<PolicyVersion> newer = worker.poll(Duration.ofMillis(100));
            if (newer.isPresent()) {
                latest = newer;
            }
        }
        return latest;
    }
}
