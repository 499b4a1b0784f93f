package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.JobEnd;
import dev.rlhf.proto.v1.PolicyVersion;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The policy-versions topic of a job: the learner {@linkplain Publisher announces} each new checkpoint, and the job's
 * end, every rollout worker {@linkplain Listener follows} them. Latest wins: a listener reports only versions above
 * the highest it has seen, so a worker that falls behind skips straight to the newest checkpoint and an out-of-order
 * older announcement is ignored.
 *
 * <p>The topic is compacted and keyed by job id, so it keeps (at least) the latest announcement forever and a worker
 * that starts late still finds the current policy, or learns that the job has ended. Listeners read it from the
 * beginning without a consumer group: each worker needs every announcement, and there is nothing to commit.
 */
public final class PolicyVersions {

    private PolicyVersions() {}

    /** The learner's side. */
    public static Publisher publisher(KafkaClients clients, String jobId) {
        return new Publisher(clients, jobId);
    }

    /** A worker's side; reads up to the current end of the topic, within {@code catchUpTimeout}, before returning. */
    public static Listener listener(KafkaClients clients, String jobId, Duration catchUpTimeout) {
        return new Listener(clients, jobId, catchUpTimeout);
    }

    /** Announces policy versions, acknowledged by the broker before {@link #announce} returns. */
    public static final class Publisher implements AutoCloseable {

        private final String topic;
        private final KafkaProducer<String, PolicyVersion> producer;

        private Publisher(KafkaClients clients, String jobId) {
            this.topic = TopicNames.policyVersions(jobId);
            this.producer = KafkaProducer.create(
                    clients.vertx(),
                    clients.properties(ClientSettings.producer("rlhf." + jobId + ".policy-publisher")),
                    new StringSerializer(),
                    ProtoSerde.of(PolicyVersion.parser()));
        }

        /** Announces {@code version} (with {@code job_end} set: the job's end). */
        public void announce(PolicyVersion version) {
            KafkaClients.await(
                    producer.send(KafkaProducerRecord.create(topic, version.getJobId(), version)),
                    "announcing policy version " + version.getVersion() + " on topic " + topic);
        }

        @Override
        public void close() {
            KafkaClients.await(producer.close(), "closing the producer of topic " + topic);
        }
    }

    /** Follows announcements. Not thread-safe; a worker polls it between generations. */
    public static final class Listener implements AutoCloseable {

        private final String topic;
        private final KafkaConsumer<String, byte[]> consumer;
        private final JobRecordParser<PolicyVersion> values;
        private final List<CorruptRecord> corrupt = new ArrayList<>();
        private PolicyVersion latest;
        private JobEnd end = JobEnd.JOB_END_UNSPECIFIED;
        private long ends; // end announcements read so far

        private Listener(KafkaClients clients, String jobId, Duration catchUpTimeout) {
            this.topic = TopicNames.policyVersions(jobId);
            this.consumer = KafkaConsumer.create(
                    clients.vertx(),
                    clients.properties(ClientSettings.consumer(
                            null,
                            "rlhf." + jobId + ".policy-listener",
                            500,
                            Duration.ofMinutes(5).toMillis())),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            this.values =
                    new JobRecordParser<>(PolicyVersion.parser(), PolicyVersion::getJobId, jobId, "PolicyVersion");
            Set<TopicPartition> partitions =
                    KafkaClients.await(consumer.partitionsFor(topic), catchUpTimeout, "partitions of topic " + topic)
                            .stream()
                            .map(PartitionInfo::getPartition)
                            .map(p -> new TopicPartition(topic, p))
                            .collect(Collectors.toSet());
            if (partitions.isEmpty()) {
                close();
                throw new IllegalStateException("topic " + topic + " does not exist: create it with TopicAdmin");
            }
            KafkaClients.await(consumer.assign(partitions), "assigning topic " + topic);
            KafkaClients.await(consumer.seekToBeginning(partitions), "reading topic " + topic + " from the beginning");
            catchUp(partitions, catchUpTimeout);
        }

        private void catchUp(Set<TopicPartition> partitions, Duration timeout) {
            Map<TopicPartition, Long> end =
                    KafkaClients.await(consumer.endOffsets(partitions), timeout, "end offsets of topic " + topic);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (behind(end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read topic " + topic + " to its end in " + timeout);
                }
                poll(Duration.ofMillis(100));
            }
        }

        private boolean behind(Map<TopicPartition, Long> end) {
            for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
                long position = KafkaClients.await(consumer.position(partition.getKey()), "position on topic " + topic);
                if (position < partition.getValue()) {
                    return true;
                }
            }
            return false;
        }

        /** The records skipped so far because they were no announcement of this job, with where they sit. */
        public List<CorruptRecord> corrupt() {
            return List.copyOf(corrupt);
        }

        /** The newest version seen so far; empty when the learner has announced none yet. */
        public Optional<PolicyVersion> latest() {
            return Optional.ofNullable(latest);
        }

        /** Why the job ended, once its learner announced the end (and no resumed learner announced again since). */
        public Optional<JobEnd> ended() {
            return end == JobEnd.JOB_END_UNSPECIFIED ? Optional.empty() : Optional.of(end);
        }

        /**
         * How many end announcements this listener has read, counting those of earlier runs of the job found on start:
         * a worker compares it with the count when it joined to tell this run's end from a previous run's.
         */
        public long endsRead() {
            return ends;
        }

        /**
         * Waits up to {@code timeout} for announcements; returns the newest if it is above {@link #latest()} (which it
         * then becomes), else empty. An end announcement sets {@link #ended()}; any later one clears it.
         */
        public Optional<PolicyVersion> poll(Duration timeout) {
            KafkaConsumerRecords<String, byte[]> records = KafkaClients.await(
                    consumer.poll(timeout), timeout.plus(KafkaClients.REQUEST_TIMEOUT), "polling topic " + topic);
            PolicyVersion newer = null;
            for (int i = 0; i < records.size(); i++) {
                Optional<PolicyVersion> parsed = values.parse(records.recordAt(i), corrupt);
                if (parsed.isEmpty()) {
                    continue; // logged and listed by the parser; there is no group offset to commit
                }
                PolicyVersion version = parsed.get();
                end = version.getJobEnd();
                ends += end == JobEnd.JOB_END_UNSPECIFIED ? 0 : 1;
                if (latest == null || version.getVersion() > latest.getVersion()) {
                    latest = version;
                    newer = version;
                }
            }
            return Optional.ofNullable(newer);
        }

        @Override
        public void close() {
            KafkaClients.await(consumer.close(), "closing the listener of topic " + topic);
        }
    }
}
