package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.Rollout;
import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
    public static Publisher publisher(KafkaClients clients, String jobId, String workerId) {
        return new Publisher(clients, jobId, workerId);
    }

    /**
     * The learner's side, at most {@code maxPollRecords} rollouts per poll. {@code maxPollInterval} must exceed the
     * longest time between two polls (a PPO step with its checkpoint), or the commit after it fails.
     */
    public static Reader reader(KafkaClients clients, String jobId, int maxPollRecords, Duration maxPollInterval) {
        return new Reader(clients, jobId, maxPollRecords, maxPollInterval, new RolloutOffsets(Map.of()));
    }

    /**
     * A learner's side that restarts from a checkpoint: records that {@code checkpointed} (the offsets the
     * checkpoint's last step covered) lies past are skipped even where the group's committed offsets are behind, so a
     * crash between checkpoint and commit does not feed that step's rollouts to training again.
     */
    public static Reader reader(
            KafkaClients clients,
            String jobId,
            int maxPollRecords,
            Duration maxPollInterval,
            RolloutOffsets checkpointed) {
        return new Reader(clients, jobId, maxPollRecords, maxPollInterval, checkpointed);
    }

    /** Publishes rollouts keyed {@code job:iteration:index} with an idempotent, {@code acks=all} producer. */
    public static final class Publisher implements AutoCloseable {

        private final String jobId;
        private final String topic;
        private final KafkaProducer<String, Rollout> producer;

        private Publisher(KafkaClients clients, String jobId, String workerId) {
            this.jobId = jobId;
            this.topic = TopicNames.rollouts(jobId);
            this.producer = KafkaProducer.create(
                    clients.vertx(),
                    clients.properties(ClientSettings.producer("rlhf." + jobId + ".rollouts." + workerId)),
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
                acks.add(producer.send(KafkaProducerRecord.create(topic, key, rollout)));
            }
            KafkaClients.await(Future.all(acks), "publishing " + acks.size() + " rollouts to topic " + topic);
        }

        @Override
        public void close() {
            KafkaClients.await(producer.close(), "closing the producer of topic " + topic);
        }
    }

    /**
     * What one poll brought: the rollouts, and the records that were not rollouts (skipped, but to be committed past
     * like the rest).
     */
    public record Polled(List<ConsumedRollout> rollouts, List<CorruptRecord> corrupt) {

        public boolean isEmpty() {
            return rollouts.isEmpty() && corrupt.isEmpty();
        }
    }

    /**
     * Reads rollouts for the learner, in the job's learner group, polling explicitly (no record handler): the
     * learner's loop owns the order. Nothing is committed automatically: the learner calls {@link #commit} with the
     * offsets of the records a step used, after that step's checkpoint is written. Not thread-safe.
     *
     * <p>Values are parsed here rather than by a deserializer, so that a corrupt record is reported with its partition
     * and offset and skipped, instead of failing every poll at that offset.
     */
    public static final class Reader implements AutoCloseable {

        private final JobRecordParser<Rollout> values;
        private final String group;
        private final KafkaConsumer<String, byte[]> consumer;
        private final RolloutOffsets checkpointed;
        private final Map<Integer, Long> startOffsets; // per partition, the topic's end when this reader started

        private Reader(
                KafkaClients clients,
                String jobId,
                int maxPollRecords,
                Duration maxPollInterval,
                RolloutOffsets checkpointed) {
            this.values = new JobRecordParser<>(Rollout.parser(), Rollout::getJobId, jobId, "Rollout");
            this.group = TopicNames.learnerGroup(jobId);
            this.checkpointed = checkpointed;
            this.consumer = KafkaConsumer.create(
                    clients.vertx(),
                    clients.properties(ClientSettings.consumer(
                            group, "rlhf." + jobId + ".learner", maxPollRecords, maxPollInterval.toMillis())),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            KafkaClients.await(consumer.subscribe(TopicNames.rollouts(jobId)), "subscribing group " + group);
            try (TopicAdmin admin = new TopicAdmin(clients)) {
                this.startOffsets = Map.copyOf(admin.endOffsets(TopicNames.rollouts(jobId)));
            }
        }

        /**
         * Whether {@code record} was on the topic before this reader started: written for an earlier run of the
         * learner (a resumed learner publishes its iteration's prompts again, so an answer from before it started
         * answers the earlier request).
         */
        public boolean beforeStart(RecordPosition record) {
            return record.offset()
                    < startOffsets.getOrDefault(record.partition().getPartition(), 0L);
        }

        /** The next rollouts with their offsets (and any corrupt records); empty when none arrived in {@code timeout}. */
        public Polled poll(Duration timeout) {
            KafkaConsumerRecords<String, byte[]> records = KafkaClients.await(
                    consumer.poll(timeout), timeout.plus(KafkaClients.REQUEST_TIMEOUT), "polling group " + group);
            List<ConsumedRollout> rollouts = new ArrayList<>(records.size());
            List<CorruptRecord> corrupt = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                KafkaConsumerRecord<String, byte[]> record = records.recordAt(i);
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (checkpointed.covers(partition, record.offset())) {
                    continue;
                }
                values.parse(record, corrupt)
                        .ifPresent(rollout -> rollouts.add(new ConsumedRollout(rollout, partition, record.offset())));
            }
            return new Polled(rollouts, corrupt);
        }

        /** Commits {@code offsets} (a synchronous commit on the client's thread): after a restart the group resumes there. */
        public void commit(RolloutOffsets offsets) {
            if (!offsets.isEmpty()) {
                KafkaClients.await(
                        consumer.commit(offsets.toCommit()), "committing " + offsets.next() + " for group " + group);
            }
        }

        /** Leaves the group; uncommitted records are read again by the next reader of the job. */
        @Override
        public void close() {
            KafkaClients.await(consumer.close(), "closing the consumer of group " + group);
        }
    }
}
