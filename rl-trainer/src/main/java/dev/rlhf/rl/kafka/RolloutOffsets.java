package dev.rlhf.rl.kafka;

import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The rollouts topic position after a set of consumed records: per partition, the offset of the next record to read.
 * This is what the learner commits once the step that used those records is checkpointed, and what a checkpoint can
 * store to know which experience it holds.
 *
 * @param next per partition, one past the highest consumed offset
 */
public record RolloutOffsets(Map<TopicPartition, Long> next) {

    public RolloutOffsets {
        next = Map.copyOf(next);
    }

    /** The position after {@code consumed}; records dropped as duplicates, stale or corrupt belong in it too. */
    public static RolloutOffsets after(Collection<? extends RecordPosition> consumed) {
        Map<TopicPartition, Long> next = new HashMap<>();
        for (RecordPosition record : consumed) {
            next.merge(record.partition(), record.offset() + 1, Math::max);
        }
        return new RolloutOffsets(next);
    }

    public boolean isEmpty() {
        return next.isEmpty();
    }

    /** Whether the record at {@code offset} of {@code partition} lies before this position. */
    boolean covers(TopicPartition partition, long offset) {
        return offset < next.getOrDefault(partition, 0L);
    }

    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        next.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset, "")));
        return commit;
    }
}
