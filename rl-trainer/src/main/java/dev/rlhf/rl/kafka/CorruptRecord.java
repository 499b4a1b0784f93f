package dev.rlhf.rl.kafka;

import io.vertx.kafka.client.common.TopicPartition;

/**
 * A record on one of a job's topics that is not the topic's message of this job (truncated, written by something else,
 * another job's): skipped, counted, and, on the prompts and rollouts topics, committed past like a used record, so it
 * is never read again ({@link JobRecordParser}).
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
