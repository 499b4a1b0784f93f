package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.Rollout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The rollouts topic of a job: rollout workers {@linkplain Publisher publish} one {@code Rollout} per prompt, the
 * learner {@linkplain Reader reads} them and commits what a checkpointed step used.
 *
 * <p>Together with {@link PromptQueue} and {@link RolloutDeduplicator} this gives every prompt's answer to the
 * learner exactly once per training run: publishing is idempotent, a prompt is committed only after its rollout is
 * acknowledged (so none is lost), a re-answered prompt is dropped by (iteration, index), and the learner's offsets move
 * only past checkpointed experience.
 */
public final class RolloutLog {

    private RolloutLog() {}

    /** A rollout worker's side. */
    public static Publisher publisher(KafkaConnection connection, String jobId, String workerId) {
        return new Publisher(connection, jobId, workerId);
    }

    /**
     * The learner's side, at most {@code maxPollRecords} rollouts per poll. {@code maxPollInterval} must exceed the
     * longest time between two polls (a PPO step with its checkpoint), or the commit after it fails.
     */
    public static Reader reader(
            KafkaConnection connection, String jobId, int maxPollRecords, Duration maxPollInterval) {
        return new Reader(connection, jobId, maxPollRecords, maxPollInterval, new RolloutOffsets(Map.of()));
    }

    /**
     * A learner's side that restarts from a checkpoint: where {@code checkpointed} (the offsets the checkpoint's last
     * step covered) is ahead of the group's committed offsets, reading starts there, so a crash between checkpoint and
     * commit does not feed that step's rollouts to training again.
     */
    public static Reader reader(
            KafkaConnection connection,
            String jobId,
            int maxPollRecords,
            Duration maxPollInterval,
            RolloutOffsets checkpointed) {
        return new Reader(connection, jobId, maxPollRecords, maxPollInterval, checkpointed);
    }

    /** Publishes rollouts keyed {@code job:iteration:index} with an idempotent, {@code acks=all} producer. */
    public static final class Publisher implements AutoCloseable {

        private final String jobId;
        private final String topic;
        private final KafkaProducer<String, Rollout> producer;

        private Publisher(KafkaConnection connection, String jobId, String workerId) {
            this.jobId = jobId;
            this.topic = TopicNames.rollouts(jobId);
            this.producer = new KafkaProducer<>(
                    connection.clientConfig(ClientSettings.producer("rlhf." + jobId + ".rollouts." + workerId)),
                    new StringSerializer(),
                    ProtoSerde.of(Rollout.parser()));
        }

        /** Publishes one rollout and returns once the broker has it: only then may its prompt be committed. */
        public void publish(Rollout rollout) {
            publishAll(List.of(rollout));
        }

        /** Publishes rollouts and returns once the broker has acknowledged all of them. */
        public void publishAll(Collection<Rollout> rollouts) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(rollouts.size());
            for (Rollout rollout : rollouts) {
                if (!jobId.equals(rollout.getJobId())) {
                    throw new IllegalArgumentException("rollout " + rollout.getIteration() + ":" + rollout.getIndex()
                            + " has job_id '" + rollout.getJobId() + "', this log is for job '" + jobId + "'");
                }
                String key = rollout.getJobId() + ":" + rollout.getIteration() + ":" + rollout.getIndex();
                acks.add(producer.send(new ProducerRecord<>(topic, key, rollout)));
            }
            producer.flush();
            Acks.await(acks, topic);
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /**
     * Reads rollouts for the learner, in the job's learner group. Nothing is committed automatically: the learner
     * calls {@link #commit} with the offsets of the records a step used, after that step's checkpoint is written. Not
     * thread-safe; only {@link #wakeup()} may be called from another thread.
     */
    public static final class Reader implements AutoCloseable {

        private final KafkaConsumer<String, Rollout> consumer;

        private Reader(
                KafkaConnection connection,
                String jobId,
                int maxPollRecords,
                Duration maxPollInterval,
                RolloutOffsets checkpointed) {
            this.consumer = new KafkaConsumer<>(
                    connection.clientConfig(ClientSettings.consumer(
                            TopicNames.learnerGroup(jobId),
                            "rlhf." + jobId + ".learner",
                            maxPollRecords,
                            maxPollInterval.toMillis())),
                    new StringDeserializer(),
                    ProtoSerde.of(Rollout.parser()));
            consumer.subscribe(List.of(TopicNames.rollouts(jobId)), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition partition : partitions) {
                        Long next = checkpointed.next().get(partition);
                        if (next != null && next > consumer.position(partition)) {
                            consumer.seek(partition, next);
                        }
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
            });
        }

        /** The next rollouts with their offsets; empty when none arrived within {@code timeout}. */
        public List<ConsumedRollout> poll(Duration timeout) {
            List<ConsumedRollout> rollouts = new ArrayList<>();
            for (ConsumerRecord<String, Rollout> record : consumer.poll(timeout)) {
                rollouts.add(new ConsumedRollout(
                        record.value(), new TopicPartition(record.topic(), record.partition()), record.offset()));
            }
            return rollouts;
        }

        /** Commits {@code offsets} synchronously: after a restart the group resumes there. */
        public void commit(RolloutOffsets offsets) {
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets.toCommit());
            }
        }

        /** Makes a blocked {@link #poll} throw {@code WakeupException}; the only method safe from another thread. */
        public void wakeup() {
            consumer.wakeup();
        }

        /** Leaves the group; uncommitted records are read again by the next reader of the job. */
        @Override
        public void close() {
            consumer.close();
        }
    }
}
