package dev.rlhf.rl.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Default producer and consumer settings of the PPO dataflow's clients; {@link KafkaConnection} may override them. */
final class ClientSettings {

    private ClientSettings() {}

    /**
     * Idempotent, {@code acks=all}: a retried send neither duplicates nor loses a record, and an acknowledged record is
     * on every in-sync replica. A short linger batches the records of one step without delaying a lone record much;
     * batches of up to 256 KiB (the default 16 KiB holds four rollouts) let a worker's batch of rollouts go out in a
     * few requests.
     */
    static Map<String, Object> producer(String clientId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return settings;
    }

    /**
     * Manual commits only, from the beginning when a group has no offsets yet. {@code maxPollRecords} bounds the work
     * between two polls, and {@code maxPollInterval} must exceed the time that work takes, or the consumer is
     * considered dead, its partitions move to another member and its commits fail.
     */
    static Map<String, Object> consumer(String groupId, String clientId, int maxPollRecords, long maxPollIntervalMs) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupId != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollIntervalMs);
        return settings;
    }
}
