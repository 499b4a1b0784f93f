package dev.rlhf.cli.chaos;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.rlhf.proto.v1.Rollout;
import dev.rlhf.rl.kafka.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A job's rollouts topic as the broker holds it, every record from the beginning, and the learner group's committed
 * offsets: read by a plain kafka-clients consumer outside any group, so the audit is independent of the code under
 * test. A key's answers all sit on one partition (records are keyed by job, iteration and index), so their order is
 * the order the learner read them in.
 */
final class RolloutAudit {

    /** One record: which prompt it answers, who answered, whether scoring failed, and whether the learner committed it. */
    record Answer(String key, String workerId, boolean failed, boolean committed) {}

    private final List<Answer> answers; // per partition in offset order

    private RolloutAudit(List<Answer> answers) {
        this.answers = answers;
    }

    static RolloutAudit read(String bootstrap, String jobId) {
        String topic = TopicNames.rollouts(jobId);
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, TopicNames.learnerGroup(jobId)); // read its offsets, never join
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Answer> answers = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(PartitionInfo::partition)
                    .map(p -> new TopicPartition(topic, p))
                    .toList();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long commit = committed.get(partition) == null
                        ? 0
                        : committed.get(partition).offset();
                while (consumer.position(partition) < end.get(partition)) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        Rollout rollout = parse(record);
                        answers.add(new Answer(
                                rollout.getIteration() + ":" + rollout.getIndex(),
                                rollout.getWorkerId(),
                                !rollout.getRewardError().isEmpty(),
                                record.offset() < commit));
                    }
                }
            }
        }
        return new RolloutAudit(answers);
    }

    private static Rollout parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Rollout.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(
                    "not a rollout at " + record.topic() + "-" + record.partition() + "@" + record.offset());
        }
    }

    /** Records on the topic. */
    int produced() {
        return answers.size();
    }

    /** Records whose rewards could not be computed. */
    long failed() {
        return answers.stream().filter(Answer::failed).count();
    }

    /** Every (iteration, index) with at least one answer, scored or failed. */
    Set<String> answered() {
        return answers.stream().map(Answer::key).collect(Collectors.toSet());
    }

    /** Records that are not the first answer to their prompt: published twice, or answered after a failure. */
    long repeated() {
        return answers.size() - answered().size();
    }

    /**
     * Records the learner committed that answer a prompt of {@code keys} after that prompt's first scored answer: what
     * the learner must have counted as duplicates.
     */
    long duplicatesAfterFirstScored(Predicate<String> keys) {
        Set<String> scored = new HashSet<>();
        long duplicates = 0;
        for (Answer a : answers) {
            if (!keys.test(a.key()) || !a.committed()) {
                continue;
            }
            if (scored.contains(a.key())) {
                duplicates++;
            } else if (!a.failed()) {
                scored.add(a.key());
            }
        }
        return duplicates;
    }

    /** The prompts of {@code keys} that a worker matching {@code worker} answered with a scored rollout. */
    Set<String> scoredBy(Predicate<String> worker, Set<String> keys) {
        return answers.stream()
                .filter(a -> !a.failed() && worker.test(a.workerId()) && keys.contains(a.key()))
                .map(Answer::key)
                .collect(Collectors.toSet());
    }
}
