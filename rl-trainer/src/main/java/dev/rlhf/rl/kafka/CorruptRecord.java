package dev.rlhf.rl.kafka;

import io.vertx.kafka.client.common.TopicPartition;

/**
 * A record on the rollouts topic that is not a {@code Rollout} (truncated, or written by something else): skipped,
 * counted, and committed past like a used record, so it is never read again.
 *
 * @param reason what the parser said
 */
public record CorruptRecord(TopicPartition partition, long offset, int bytes, String reason) implements RecordPosition {

    /** {@code rlhf.job.rollouts-2@17 (12 bytes: ...)}: enough to find the record with any Kafka tool. */
    public String describe() {
        return partition.getTopic() + "-" + partition.getPartition() + "@" + offset + " (" + bytes + " bytes: " + reason
                + ")";
    }
}
