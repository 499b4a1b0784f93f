package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.PromptRecord;
import io.vertx.core.Future;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The prompts topic of a job: the learner {@linkplain Publisher publishes} an iteration's prompts, the rollout
 * workers {@linkplain Worker take} them in one consumer group, so each partition, and each prompt, belongs to one
 * worker at a time.
 *
 * <p>Delivery is at least once: a worker commits a prompt only after it published the prompt's rollout. A worker that
 * dies in between leaves the prompt uncommitted, the group hands its partitions to another worker, and that worker
 * answers it again; the learner's {@link RolloutDeduplicator} drops the second answer.
 */
public final class PromptQueue {

    private PromptQueue() {}

    /** The learner's side: publishes prompts. */
    public static Publisher publisher(KafkaClients clients, String jobId) {
        return new Publisher(clients, jobId);
    }

    /**
     * A rollout worker's side, with at most {@code maxPollRecords} prompts per poll; the worker must answer them all
     * within {@code maxPollInterval}, or the group presumes it dead.
     */
    public static Worker worker(
            KafkaClients clients, String jobId, String workerId, int maxPollRecords, Duration maxPollInterval) {
        return new Worker(clients, jobId, workerId, maxPollRecords, maxPollInterval);
    }

    /**
     * Publishes {@code PromptRecord}s keyed {@code iteration:index}. Prompt {@code index} goes to partition
     * {@code index mod partitions}, so an iteration's batch spreads evenly over the partitions (hashing the key would
     * leave some partitions, and their workers, with noticeably more prompts than others).
     */
    public static final class Publisher implements AutoCloseable {

        private final String jobId;
        private final String topic;
        private final KafkaProducer<String, PromptRecord> producer;

        private Publisher(KafkaClients clients, String jobId) {
            this.jobId = jobId;
            this.topic = TopicNames.prompts(jobId);
            this.producer = KafkaProducer.create(
                    clients.vertx(),
                    clients.properties(ClientSettings.producer("rlhf." + jobId + ".prompt-publisher")),
                    new StringSerializer(),
                    ProtoSerde.of(PromptRecord.parser()));
        }

        /** Publishes {@code prompts} and returns once the broker has acknowledged all of them. */
        public void publish(Collection<PromptRecord> prompts) {
            int partitions = KafkaClients.await(producer.partitionsFor(topic), "partitions of topic " + topic)
                    .size();
            List<Future<RecordMetadata>> acks = new ArrayList<>(prompts.size());
            for (PromptRecord prompt : prompts) {
                if (!jobId.equals(prompt.getJobId())) {
                    throw new IllegalArgumentException("prompt " + prompt.getIteration() + ":" + prompt.getIndex()
                            + " has job_id '" + prompt.getJobId() + "', this queue is for job '" + jobId + "'");
                }
                String key = prompt.getIteration() + ":" + prompt.getIndex();
                int partition = Math.floorMod(prompt.getIndex(), partitions);
                acks.add(producer.send(KafkaProducerRecord.create(topic, key, prompt, partition)));
            }
            KafkaClients.await(Future.all(acks), "publishing " + acks.size() + " prompts to topic " + topic);
        }

        @Override
        public void close() {
            KafkaClients.await(producer.close(), "closing the producer of topic " + topic);
        }
    }

    /** What one poll brought: the prompts, and the records that were no prompts (to be committed past with them). */
    public record Polled(List<ConsumedPrompt> prompts, List<CorruptRecord> corrupt) {}

    /**
     * Takes prompts for one rollout worker, polling explicitly (no record handler): the worker's loop owns the order.
     * Not thread-safe: poll, answer and commit on one thread. Answer or commit every prompt of a poll before the next
     * poll: partitions move between workers only inside {@code poll}, so nothing answered is ever handed over
     * uncommitted.
     */
    public static final class Worker implements AutoCloseable {

        private final String group;
        private final KafkaConsumer<String, byte[]> consumer;
        private final JobRecordParser<PromptRecord> values;
        private final Map<TopicPartition, Long> committed = new HashMap<>();
        private long corrupt;

        private Worker(
                KafkaClients clients, String jobId, String workerId, int maxPollRecords, Duration maxPollInterval) {
            this.group = TopicNames.workerGroup(jobId);
            this.consumer = KafkaConsumer.create(
                    clients.vertx(),
                    clients.properties(ClientSettings.consumer(
                            group,
                            "rlhf." + jobId + ".worker." + workerId,
                            maxPollRecords,
                            maxPollInterval.toMillis())),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            this.values = new JobRecordParser<>(PromptRecord.parser(), PromptRecord::getJobId, jobId, "PromptRecord");
            KafkaClients.await(consumer.subscribe(TopicNames.prompts(jobId)), "subscribing group " + group);
        }

        /**
         * The next prompts of this worker's partitions, and the records among them that are no prompt of this job
         * (skipped, logged with topic, partition and offset, counted in {@link #corrupt()}); empty when none arrived
         * within {@code timeout}. Commit the corrupt records with the prompts, once those are answered.
         */
        public Polled poll(Duration timeout) {
            KafkaConsumerRecords<String, byte[]> records = KafkaClients.await(
                    consumer.poll(timeout), timeout.plus(KafkaClients.REQUEST_TIMEOUT), "polling group " + group);
            List<ConsumedPrompt> prompts = new ArrayList<>(records.size());
            List<CorruptRecord> skipped = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                KafkaConsumerRecord<String, byte[]> record = records.recordAt(i);
                values.parse(record, skipped)
                        .ifPresent(prompt -> prompts.add(new ConsumedPrompt(
                                prompt, new TopicPartition(record.topic(), record.partition()), record.offset())));
            }
            corrupt += skipped.size();
            return new Polled(prompts, skipped);
        }

        /** Records skipped so far because they were no prompt of this job. */
        public long corrupt() {
            return corrupt;
        }

        /**
         * Marks {@code done} done, in one commit request: prompts once their rollouts are published (acknowledged), never
         * before, and the corrupt records polled with them. Per partition the offset after the highest record; a
         * partition's committed offset never moves back, so an answer that completes after a later one commits
         * nothing. One request per batch rather than per record: each is a synchronous round trip to the group
         * coordinator, and the worker's next batch waits for them.
         */
        public void commit(Collection<? extends RecordPosition> done) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (RecordPosition record : done) {
                long next = record.offset() + 1;
                if (committed.getOrDefault(record.partition(), -1L) < next) {
                    offsets.merge(
                            record.partition(),
                            new OffsetAndMetadata(next, ""),
                            (a, b) -> a.getOffset() >= b.getOffset() ? a : b);
                }
            }
            if (offsets.isEmpty()) {
                return;
            }
            KafkaClients.await(
                    consumer.commit(offsets), "committing " + offsets.size() + " partitions for group " + group);
            offsets.forEach((partition, offset) -> committed.put(partition, offset.getOffset()));
        }

        /** The partitions this worker holds now (changes only inside {@link #poll}). */
        public Set<TopicPartition> assignment() {
            return KafkaClients.await(consumer.assignment(), "assignment in group " + group);
        }

        /** Leaves the group; prompts polled but not committed go to the next owner of their partition. */
        @Override
        public void close() {
            KafkaClients.await(consumer.close(), "closing a consumer of group " + group);
        }
    }
}
