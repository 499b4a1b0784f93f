package dev.rlhf.rl.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the values of one of a job's topics (one protobuf message type per topic, binary, no framing) from their raw
 * bytes, so that a record that is no message of this job (truncated, written by something else, or another job's) is
 * skipped, logged and listed with its topic, partition and offset, instead of failing every poll at that offset (what
 * a deserializer would do). The prompts, rollouts and policy-versions topics all read through here.
 *
 * @param <T> the topic's message type
 */
final class JobRecordParser<T extends Message> {

    private static final Logger LOG = LoggerFactory.getLogger(JobRecordParser.class);

    private final Parser<T> parser;
    private final Function<T, String> jobIdOf;
    private final String jobId;
    private final String type;

    /**
     * @param jobIdOf the message's {@code job_id}
     * @param type the message type's name, for the log ({@code Rollout})
     */
    JobRecordParser(Parser<T> parser, Function<T, String> jobIdOf, String jobId, String type) {
        this.parser = parser;
        this.jobIdOf = jobIdOf;
        this.jobId = jobId;
        this.type = type;
    }

    /** The record's message, or empty after logging the record and adding it to {@code corrupt}. */
    Optional<T> parse(KafkaConsumerRecord<String, byte[]> record, List<CorruptRecord> corrupt) {
        byte[] value = record.value();
        String reason;
        if (value == null) {
            reason = "no value";
        } else {
            try {
                T message = parser.parseFrom(value);
                if (jobIdOf.apply(message).equals(jobId)) {
                    return Optional.of(message);
                }
                reason = "job_id '" + jobIdOf.apply(message) + "', not this job's";
            } catch (InvalidProtocolBufferException e) {
                reason = e.getMessage();
            }
        }
        CorruptRecord bad = new CorruptRecord(
                new TopicPartition(record.topic(), record.partition()),
                record.offset(),
                value == null ? 0 : value.length,
                reason);
        LOG.warn("Skipping a record that is not a {} of job {}: {}", type, jobId, bad.describe());
        corrupt.add(bad);
        return Optional.empty();
    }
}
