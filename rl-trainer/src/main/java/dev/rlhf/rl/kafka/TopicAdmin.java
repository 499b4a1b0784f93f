package dev.rlhf.rl.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a job's topics, idempotently: a topic that exists is kept, and grows to the requested partition count if it
 * has fewer (more workers than partitions would leave workers idle). Kafka cannot shrink a topic, so one with more
 * partitions stays as it is. The replication factor is the cluster's {@code default.replication.factor}.
 */
public final class TopicAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;

    public TopicAdmin(KafkaConnection connection) {
        this.admin = Admin.create(connection.clientConfig(Map.of()));
    }

    /** Ensures {@code topic} exists with at least {@code partitions} partitions; returns its partition count. */
    public int ensure(String topic, int partitions) {
        return ensure(topic, partitions, Map.of());
    }

    /**
     * Ensures {@code topic} exists with at least {@code partitions} partitions, created with the topic settings
     * {@code configs} (settings of an existing topic are left alone); returns its partition count.
     */
    public int ensure(String topic, int partitions, Map<String, String> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + topic + ": partitions must be >= 1, got " + partitions);
        }
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(configs);
        try {
            admin.createTopics(List.of(newTopic)).all().get();
            awaitPartitions(topic, partitions);
            LOG.info("Created topic {} with {} partitions", topic, partitions);
            return partitions;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
        return grow(topic, partitions);
    }

    /** The three topics of a PPO job; policy versions are one compacted partition (only the latest matters). */
    public void ensureJobTopics(String jobId, int promptPartitions, int rolloutPartitions) {
        ensure(TopicNames.prompts(jobId), promptPartitions);
        ensure(TopicNames.rollouts(jobId), rolloutPartitions);
        ensure(
                TopicNames.policyVersions(jobId),
                1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** The partition count of an existing topic. */
    public int partitions(String topic) {
        try {
            TopicDescription description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return description.partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }

    private int grow(String topic, int partitions) {
        int existing = 0;
        try {
            // The topic exists for the controller; the broker answering describe may learn of it a moment later.
            awaitPartitions(topic, 1);
            existing = partitions(topic);
            if (existing >= partitions) {
                return existing;
            }
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
                    .all()
                    .get();
            awaitPartitions(topic, partitions);
            LOG.info("Topic {} grown from {} to {} partitions", topic, existing, partitions);
            return partitions;
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot grow topic " + topic + " from " + existing + " to " + partitions + " partitions",
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while growing topic " + topic, e);
        }
    }

    /**
     * Waits until the brokers' metadata shows {@code partitions}: the controller acknowledges a change before every
     * broker has applied it, and a producer that looked earlier would spread records over the old partitions only.
     */
    private void awaitPartitions(String topic, int partitions) throws InterruptedException {
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (true) {
            try {
                if (partitions(topic) >= partitions) {
                    return;
                }
            } catch (IllegalStateException e) {
                // Not yet known to the broker that answered: UnknownTopicOrPartitionException.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topic " + topic + " does not show " + partitions + " partitions after " + METADATA_TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
