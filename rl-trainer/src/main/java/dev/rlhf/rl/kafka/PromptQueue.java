package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.PromptRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
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
    public static Publisher publisher(KafkaConnection connection, String jobId) {
        return new Publisher(connection, jobId);
    }

    /**
     * A rollout worker's side, with at most {@code maxPollRecords} prompts per poll; the worker must answer them all
     * within {@code maxPollInterval}, or the group presumes it dead.
     */
    public static Worker worker(
            KafkaConnection connection, String jobId, String workerId, int maxPollRecords, Duration maxPollInterval) {
        return new Worker(connection, jobId, workerId, maxPollRecords, maxPollInterval);
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

        private Publisher(KafkaConnection connection, String jobId) {
            this.jobId = jobId;
            this.topic = TopicNames.prompts(jobId);
            this.producer = new KafkaProducer<>(
                    connection.clientConfig(ClientSettings.producer("rlhf." + jobId + ".prompt-publisher")),
                    new StringSerializer(),
                    ProtoSerde.of(PromptRecord.parser()));
        }

        /** Publishes {@code prompts} and returns once the broker has acknowledged all of them. */
        public void publish(Collection<PromptRecord> prompts) {
            int partitions = producer.partitionsFor(topic).size();
            List<Future<RecordMetadata>> acks = new ArrayList<>(prompts.size());
            for (PromptRecord prompt : prompts) {
                if (!jobId.equals(prompt.getJobId())) {
                    throw new IllegalArgumentException("prompt " + prompt.getIteration() + ":" + prompt.getIndex()
                            + " has job_id '" + prompt.getJobId() + "', this queue is for job '" + jobId + "'");
                }
                String key = prompt.getIteration() + ":" + prompt.getIndex();
                int partition = Math.floorMod(prompt.getIndex(), partitions);
                acks.add(producer.send(new ProducerRecord<>(topic, partition, key, prompt)));
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
     * Takes prompts for one rollout worker. Not thread-safe (a Kafka consumer is not): poll, answer and commit on one
     * thread; only {@link #wakeup()} may be called from another. Answer or commit every prompt of a poll before the
     * next poll: partitions move between workers only inside {@code poll}, so nothing answered is ever handed over
     * uncommitted.
     */
    public static final class Worker implements AutoCloseable {

        private final KafkaConsumer<String, PromptRecord> consumer;
        private final Map<TopicPartition, Long> committed = new HashMap<>();

        private Worker(
                KafkaConnection connection,
                String jobId,
                String workerId,
                int maxPollRecords,
                Duration maxPollInterval) {
            this.consumer = new KafkaConsumer<>(
                    connection.clientConfig(ClientSettings.consumer(
                            TopicNames.workerGroup(jobId),
                            "rlhf." + jobId + ".worker." + workerId,
                            maxPollRecords,
                            maxPollInterval.toMillis())),
                    new StringDeserializer(),
                    ProtoSerde.of(PromptRecord.parser()));
            consumer.subscribe(List.of(TopicNames.prompts(jobId)));
        }

        /** The next prompts of this worker's partitions; empty when none arrived within {@code timeout}. */
        public List<ConsumedPrompt> poll(Duration timeout) {
            List<ConsumedPrompt> prompts = new ArrayList<>();
            for (ConsumerRecord<String, PromptRecord> record : consumer.poll(timeout)) {
                prompts.add(new ConsumedPrompt(
                        record.value(), new TopicPartition(record.topic(), record.partition()), record.offset()));
            }
            return prompts;
        }

        /** Marks {@code prompt} done: call once its rollout is published (acknowledged), never before. */
        public void commit(ConsumedPrompt prompt) {
            long next = prompt.offset() + 1;
            // Answers may complete out of order; a partition's committed offset never moves back.
            if (committed.getOrDefault(prompt.partition(), -1L) >= next) {
                return;
            }
            consumer.commitSync(Map.of(prompt.partition(), new OffsetAndMetadata(next)));
            committed.put(prompt.partition(), next);
        }

        /** The partitions this worker holds now (changes only inside {@link #poll}). */
        public Set<TopicPartition> assignment() {
            return consumer.assignment();
        }

        /** Makes a blocked {@link #poll} throw {@code WakeupException}; the only method safe from another thread. */
        public void wakeup() {
            consumer.wakeup();
        }

        /** Leaves the group; prompts polled but not committed go to the next owner of their partition. */
        @Override
        public void close() {
            consumer.close();
        }
    }
}
