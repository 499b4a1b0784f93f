package dev.rlhf.rl.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.proto.v1.Rollout;
import dev.rlhf.rl.kafka.ConsumedRollout;
import dev.rlhf.rl.kafka.RecordPosition;
import io.vertx.kafka.client.common.TopicPartition;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** How the learner classifies what it reads of an iteration: kept once, duplicates counted, failures of earlier runs. */
class IterationRolloutsTest {

    private static final TopicPartition PARTITION = new TopicPartition("rlhf.job.rollouts", 0);
    private static final Predicate<RecordPosition> NOTHING_BEFORE_START = r -> false;

    private final AtomicLong offset = new AtomicLong();

    @Test
    void aSecondAnswerToAKeptOrTrainedPromptIsADuplicateAndTheFirstStands() {
        // iteration 1 at version 1; iteration 0 trained (0:0 and 0:1 in the checkpoint)
        LearnerState state = new LearnerState(1, 1, 0, Set.of("0:0", "0:1"));
        IterationRollouts read = new IterationRollouts(state, 1, 2, NOTHING_BEFORE_START);
        read.add(consumed(rollout(1, 0, 1, 0.5f)));
        read.add(consumed(rollout(1, 0, 1, 0.9f))); // re-answered: kept already
        read.add(consumed(rollout(0, 1, 0, 0.1f))); // a late answer to a trained prompt
        assertFalse(read.answered());
        read.add(consumed(rollout(1, 1, 1, 0.7f)));
        assertTrue(read.answered());

        IterationRollouts.Batch batch = read.batch(1);
        assertEquals(Set.of("1:0", "1:1"), batch.keys());
        assertEquals(0.5f, batch.rollouts().get(0).rewards()[0], "the first answer stands");
        assertEquals(2, batch.duplicates());
        assertEquals(2, batch.dropped());
        assertEquals(4, batch.consumed().size(), "every record read is committed past");
    }

    @Test
    void aFailureFromBeforeTheLearnerStartedIsNotThisRunsAndTheScoredAnswerIsKept() {
        LearnerState state = new LearnerState(3, 3, 0, Set.of());
        ConsumedRollout earlier = consumed(failed(3, 0));
        IterationRollouts read = new IterationRollouts(state, 1, 1, r -> r.offset() == earlier.offset());
        read.add(earlier);
        assertFalse(read.answered(), "the earlier run's failure does not answer this run's request");
        read.add(consumed(rollout(3, 0, 3, 0.4f)));
        assertTrue(read.answered());
        IterationRollouts.Batch batch = read.batch(1);
        assertEquals(Set.of("3:0"), batch.keys());
        assertEquals(0, batch.failed());
    }

    @Test
    void aFailureOfThisRunAnswersThePromptUnlessAScoredAnswerFollows() {
        LearnerState state = new LearnerState(0, 0, 0, Set.of());
        IterationRollouts read = new IterationRollouts(state, 1, 2, NOTHING_BEFORE_START);
        read.add(consumed(failed(0, 0)));
        read.add(consumed(failed(0, 1)));
        assertTrue(read.answered());
        assertEquals("scoring down", read.firstFailure().orElseThrow());
        read.add(consumed(rollout(0, 1, 0, 0.3f))); // the prompt redelivered and scored this time

        IterationRollouts.Batch batch = read.batch(1);
        assertEquals(Set.of("0:1"), batch.keys());
        assertEquals(1, batch.failed());
        assertEquals(1, batch.droppedGroups());
    }

    @Test
    void aStaleRolloutIsCountedAndNotKept() {
        LearnerState state = new LearnerState(5, 5, 0, Set.of());
        IterationRollouts read = new IterationRollouts(state, 1, 1, NOTHING_BEFORE_START);
        read.add(consumed(rollout(5, 0, 3, 0.2f))); // two versions behind, one allowed
        assertFalse(read.answered());
        assertEquals(1, read.batch(1).stale());
    }

    private ConsumedRollout consumed(Rollout rollout) {
        return new ConsumedRollout(rollout, PARTITION, offset.getAndIncrement());
    }

    private static Rollout rollout(long iteration, int index, long version, float reward) {
        return Rollout.newBuilder()
                .setJobId("job")
                .setIteration(iteration)
                .setIndex(index)
                .setPolicyVersion(version)
                .addPromptIds(1)
                .addResponseIds(2)
                .addResponseLogprobs(-1f)
                .addRefLogprobs(-1f)
                .addRewards(reward)
                .build();
    }

    private static Rollout failed(long iteration, int index) {
        return Rollout.newBuilder()
                .setJobId("job")
                .setIteration(iteration)
                .setIndex(index)
                .setRewardError("scoring down")
                .build();
    }
}
