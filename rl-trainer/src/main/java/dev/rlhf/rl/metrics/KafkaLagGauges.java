package dev.rlhf.rl.metrics;

import dev.rlhf.core.jobs.Job;
import dev.rlhf.core.jobs.JobQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consumer lag per partition on {@code /q/metrics}: {@code rlhf_kafka_consumer_lag{topic, partition}}, the records a
 * consumer group has not committed yet, as the learner measures them each iteration and logs them as {@code
 * kafka/lag/<topic>/<partition>}. {@code topic} is the topic's role: {@code prompts} (the workers' group: prompts not
 * yet answered and committed) or {@code rollouts} (the learner's group: rollouts not yet trained into a checkpoint).
 * Each gauge holds the latest value a job of this service logged for its partition.
 */
@Singleton
public class KafkaLagGauges {

    /** The learner's metric keys, {@code kafka/lag/prompts/0}. */
    private static final Pattern LAG_KEY = Pattern.compile("kafka/lag/([a-z_]+)/(\\d+)");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    public KafkaLagGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void follow(@Observes StartupEvent event, JobQueue queue) {
        queue.subscribeToEveryJob(this::record);
    }

    private void record(Job.MetricsPoint point) {
        point.values().forEach((key, value) -> {
            Matcher lag = LAG_KEY.matcher(key);
            if (lag.matches() && value instanceof Number n) {
                gauge(lag.group(1), lag.group(2)).set(n.longValue());
            }
        });
    }

    private AtomicLong gauge(String topic, String partition) {
        return lags.computeIfAbsent(topic + "/" + partition, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("rlhf.kafka.consumer.lag", value, AtomicLong::get)
                    .description("records the topic's consumer group has not committed, per partition")
                    .tag("topic", topic)
                    .tag("partition", partition)
                    .register(registry);
            return value;
        });
    }
}
