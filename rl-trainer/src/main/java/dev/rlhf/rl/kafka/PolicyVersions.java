package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.PolicyVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The policy-versions topic of a job: the learner {@linkplain Publisher announces} each new checkpoint, every rollout
 * worker {@linkplain Listener follows} them. Latest wins: a listener reports only versions above the highest it has
 * seen, so a worker that falls behind skips straight to the newest checkpoint and an out-of-order older announcement
 * is ignored.
 *
 * <p>The topic is compacted and keyed by job id, so it keeps (at least) the latest announcement forever and a worker
 * that starts late still finds the current policy. Listeners read it without a consumer group: each worker needs
 * every announcement, and there is nothing to commit.
 */
public final class PolicyVersions {

    private PolicyVersions() {}

    /** The learner's side. */
    public static Publisher publisher(KafkaConnection connection, String jobId) {
        return new Publisher(connection, jobId);
    }

    /** A worker's side; reads up to the current end of the topic, within {@code catchUpTimeout}, before returning. */
    public static Listener listener(KafkaConnection connection, String jobId, Duration catchUpTimeout) {
        return new Listener(connection, jobId, catchUpTimeout);
    }

    /** Announces policy versions, acknowledged by the broker before {@link #announce} returns. */
    public static final class Publisher implements AutoCloseable {

        private final String topic;
        private final KafkaProducer<String, PolicyVersion> producer;

        private Publisher(KafkaConnection connection, String jobId) {
            this.topic = TopicNames.policyVersions(jobId);
            this.producer = new KafkaProducer<>(
                    connection.clientConfig(ClientSettings.producer("rlhf." + jobId + ".policy-publisher")),
                    new StringSerializer(),
                    ProtoSerde.of(PolicyVersion.parser()));
        }

        public void announce(PolicyVersion version) {
            Acks.await(List.of(producer.send(new ProducerRecord<>(topic, version.getJobId(), version))), topic);
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Follows announcements. Not thread-safe; a worker polls it between generations. */
    public static final class Listener implements AutoCloseable {

        private final String topic;
        private final KafkaConsumer<String, PolicyVersion> consumer;
        private PolicyVersion latest;

        private Listener(KafkaConnection connection, String jobId, Duration catchUpTimeout) {
            this.topic = TopicNames.policyVersions(jobId);
            this.consumer = new KafkaConsumer<>(
                    connection.clientConfig(ClientSettings.consumer(
                            null,
                            "rlhf." + jobId + ".policy-listener",
                            500,
                            Duration.ofMinutes(5).toMillis())),
                    new StringDeserializer(),
                    ProtoSerde.of(PolicyVersion.parser()));
            List<TopicPartition> partitions = consumer.partitionsFor(topic, catchUpTimeout).stream()
                    .map(PartitionInfo::partition)
                    .map(p -> new TopicPartition(topic, p))
                    .toList();
            if (partitions.isEmpty()) {
                consumer.close();
                throw new IllegalStateException("topic " + topic + " does not exist: create it with TopicAdmin");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            catchUp(partitions, catchUpTimeout);
        }

        private void catchUp(List<TopicPartition> partitions, Duration timeout) {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read topic " + topic + " to its end in " + timeout);
                }
                poll(Duration.ofMillis(100));
            }
        }

        /** The newest version seen so far; empty when the learner has announced none yet. */
        public Optional<PolicyVersion> latest() {
            return Optional.ofNullable(latest);
        }

        /**
         * Waits up to {@code timeout} for announcements; returns the newest if it is above {@link #latest()} (which it
         * then becomes), else empty.
         */
        public Optional<PolicyVersion> poll(Duration timeout) {
            PolicyVersion newer = null;
            for (ConsumerRecord<String, PolicyVersion> record : consumer.poll(timeout)) {
                PolicyVersion version = record.value();
                if (latest == null || version.getVersion() > latest.getVersion()) {
                    latest = version;
                    newer = version;
                }
            }
            return Optional.ofNullable(newer);
        }

        /** Makes a blocked {@link #poll} throw {@code WakeupException}; the only method safe from another thread. */
        public void wakeup() {
            consumer.wakeup();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
