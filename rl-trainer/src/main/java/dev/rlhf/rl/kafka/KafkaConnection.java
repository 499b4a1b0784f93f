package dev.rlhf.rl.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Where the Kafka cluster is and how to reach it: {@code bootstrap.servers} plus any client settings every client of
 * a job shares (TLS or SASL for a Strimzi cluster, say). The role classes start from their own defaults and apply
 * these on top, so a setting here also tunes a role (e.g. {@code max.poll.interval.ms} for a learner whose steps take
 * long); serializers and group ids are fixed by the roles.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param properties further client settings, applied to producers, consumers and the admin client alike
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties) {

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap.servers is empty");
        }
        properties = Map.copyOf(properties);
    }

    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** This connection with one more shared client setting. */
    public KafkaConnection with(String key, String value) {
        Map<String, String> more = new HashMap<>(properties);
        more.put(key, value);
        return new KafkaConnection(bootstrapServers, more);
    }

    /**
     * This connection with consumers that the group presumes dead after {@code timeout} without a heartbeat (Kafka's
     * {@code session.timeout.ms}; heartbeats every third of it): how long a killed worker's uncommitted prompts, or a
     * killed learner's rollouts, wait before a live or restarted member gets them. Producers and the admin client
     * ignore both settings.
     */
    public KafkaConnection withSessionTimeout(Duration timeout) {
        return with(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()))
                .with(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(timeout.toMillis() / 3));
    }

    /** Client settings: a role's defaults, then the shared settings (which win), with the bootstrap servers. */
    Map<String, Object> clientConfig(Map<String, Object> roleDefaults) {
        Map<String, Object> config = new HashMap<>(roleDefaults);
        config.putAll(properties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}
