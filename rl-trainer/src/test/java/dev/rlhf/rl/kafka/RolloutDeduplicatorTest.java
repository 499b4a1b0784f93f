package dev.rlhf.rl.kafka;

import static dev.rlhf.rl.kafka.RolloutDeduplicator.Verdict.DUPLICATE;
import static dev.rlhf.rl.kafka.RolloutDeduplicator.Verdict.KEEP;
import static dev.rlhf.rl.kafka.RolloutDeduplicator.Verdict.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rlhf.proto.v1.Rollout;
import org.junit.jupiter.api.Test;

class RolloutDeduplicatorTest {

    private static Rollout rollout(long iteration, int index, long policyVersion) {
        return Rollout.newBuilder()
                .setJobId("job")
                .setIteration(iteration)
                .setIndex(index)
                .setPolicyVersion(policyVersion)
                .build();
    }

    @Test
    void keepsEachIterationAndIndexOnce() {
        RolloutDeduplicator dedup = new RolloutDeduplicator(0);

        assertEquals(KEEP, dedup.accept(rollout(3, 0, 3), 3));
        assertEquals(KEEP, dedup.accept(rollout(3, 1, 3), 3));
        assertEquals(KEEP, dedup.accept(rollout(4, 0, 3), 3), "same index, other iteration");
        assertEquals(DUPLICATE, dedup.accept(rollout(3, 0, 3), 3));
        assertEquals(DUPLICATE, dedup.accept(rollout(3, 1, 3), 3));

        assertEquals(3, dedup.kept());
        assertEquals(2, dedup.duplicates());
        assertEquals(0, dedup.stale());
    }

    @Test
    void aReansweredPromptIsADuplicateWhateverPolicyAnsweredIt() {
        RolloutDeduplicator dedup = new RolloutDeduplicator(2);

        assertEquals(KEEP, dedup.accept(rollout(5, 7, 4), 5));
        // The worker died before committing the prompt; its successor answered it with a newer policy.
        assertEquals(DUPLICATE, dedup.accept(rollout(5, 7, 6), 6));
    }

    @Test
    void dropsRolloutsMoreThanMaxStalenessVersionsBehind() {
        RolloutDeduplicator dedup = new RolloutDeduplicator(2);

        assertEquals(KEEP, dedup.accept(rollout(10, 0, 10), 10), "on-policy");
        assertEquals(KEEP, dedup.accept(rollout(10, 1, 8), 10), "exactly max_staleness behind");
        assertEquals(STALE, dedup.accept(rollout(10, 2, 7), 10), "one version too old");
        // Stale is judged before duplicate: an old copy of a kept rollout counts as stale.
        assertEquals(STALE, dedup.accept(rollout(10, 0, 7), 10));

        assertEquals(2, dedup.kept());
        assertEquals(0, dedup.duplicates());
        assertEquals(2, dedup.stale());
    }

    @Test
    void zeroStalenessIsOnPolicyOnly() {
        RolloutDeduplicator dedup = new RolloutDeduplicator(0);

        assertEquals(STALE, dedup.accept(rollout(1, 0, 0), 1));
        assertEquals(KEEP, dedup.accept(rollout(1, 0, 1), 1));
    }

    @Test
    void closedIterationsAreForgottenAndTheirLateRolloutsStale() {
        RolloutDeduplicator dedup = new RolloutDeduplicator(100);
        for (int i = 0; i < 4; i++) {
            assertEquals(KEEP, dedup.accept(rollout(i, 0, i), 4));
        }

        dedup.closeIterationsBefore(2);

        assertEquals(STALE, dedup.accept(rollout(0, 0, 0), 4), "closed: never used twice");
        assertEquals(STALE, dedup.accept(rollout(1, 5, 1), 4), "closed: not used late either");
        assertEquals(DUPLICATE, dedup.accept(rollout(2, 0, 2), 4), "still open, still remembered");
        dedup.closeIterationsBefore(1);
        assertEquals(STALE, dedup.accept(rollout(1, 6, 1), 4), "closing never reopens");
    }

    @Test
    void rejectsNegativeStaleness() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RolloutDeduplicator(-1));
        assertEquals("max_staleness must be >= 0, got -1", e.getMessage());
    }
}
