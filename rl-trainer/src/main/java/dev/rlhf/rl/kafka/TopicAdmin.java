package dev.rlhf.rl.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.admin.ClusterDescription;
import io.vertx.kafka.admin.Config;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.ListOffsetsResultInfo;
import io.vertx.kafka.admin.NewPartitions;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.ConfigResource;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a job's topics, idempotently: a topic that exists is kept, and grows to the requested partition count if it
 * has fewer (more workers than partitions would leave workers idle). Kafka cannot shrink a topic, so one with more
 * partitions stays as it is. The replication factor is the cluster's {@code default.replication.factor}. Also answers
 * whether the broker is there at all and whether a job's topics exist.
 */
public final class TopicAdmin implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private final KafkaClients clients;
    private final KafkaAdminClient admin;
    private Short replicationFactor; // the cluster's default.replication.factor, read once

    public TopicAdmin(KafkaClients clients) {
        this.clients = clients;
        this.admin = KafkaAdminClient.create(clients.vertx(), clients.properties(Map.of()));
    }

    /**
     * Returns once a broker of the cluster answers, or throws {@link BrokerUnreachableException} naming the bootstrap
     * address after {@code timeout}.
     */
    public void awaitBroker(Duration timeout) {
        try {
            KafkaClients.await(admin.describeCluster(), timeout, "describing the Kafka cluster");
        } catch (KafkaException e) {
            throw new BrokerUnreachableException(clients.connection().bootstrapServers(), timeout, e);
        }
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
        NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor()).setConfig(configs);
        try {
            KafkaClients.await(admin.createTopics(List.of(newTopic)), "creating topic " + topic);
            awaitPartitions(topic, partitions);
            LOG.info("Created topic {} with {} partitions", topic, partitions);
            return partitions;
        } catch (KafkaException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
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

    /**
     * Returns once the job's topics exist (its learner creates them on start), or throws {@link UnknownJobException}
     * after {@code timeout}: a worker then knows it was pointed at a job that is not there.
     */
    public void awaitJob(String jobId, Duration timeout) {
        Set<String> topics =
                Set.of(TopicNames.prompts(jobId), TopicNames.rollouts(jobId), TopicNames.policyVersions(jobId));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!KafkaClients.await(admin.listTopics(), "listing topics").containsAll(topics)) {
            if (System.nanoTime() > deadline) {
                throw new UnknownJobException(jobId, clients.connection().bootstrapServers(), timeout);
            }
            sleep(200);
        }
    }

    /**
     * The cluster's {@code default.replication.factor}, as one of its brokers reports it. (Vert.x's {@code NewTopic}
     * cannot leave the factor to the broker: -1 makes it expect explicit replica assignments.)
     */
    private short replicationFactor() {
        if (replicationFactor == null) {
            ClusterDescription cluster = KafkaClients.await(admin.describeCluster(), "describing the Kafka cluster");
            ConfigResource broker = new ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.BROKER,
                    cluster.getNodes().get(0).getIdString());
            Config config = KafkaClients.await(
                            admin.describeConfigs(List.of(broker)),
                            "reading the settings of broker " + broker.getName())
                    .get(broker);
            replicationFactor = config.getEntries().stream()
                    .filter(e -> e.getName().equals("default.replication.factor"))
                    .map(e -> Short.valueOf(e.getValue()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "broker " + broker.getName() + " does not report default.replication.factor"));
        }
        return replicationFactor;
    }

    /**
     * Consumer lag: per partition of {@code topic}, how many records {@code group} has not committed yet (counted from
     * offset 0 where it has committed nothing).
     */
    public Map<Integer, Long> lag(String group, String topic) {
        // The group's offsets are asked for first and read last, so that request overlaps the two for the end offsets.
        Future<Map<TopicPartition, OffsetAndMetadata>> committedLater = admin.listConsumerGroupOffsets(group);
        Map<Integer, Long> ends = endOffsets(topic);
        Map<TopicPartition, OffsetAndMetadata> committed =
                KafkaClients.await(committedLater, "committed offsets of group " + group);
        Map<Integer, Long> lag = new TreeMap<>();
        ends.forEach((partition, end) -> {
            OffsetAndMetadata done = committed.get(new TopicPartition(topic, partition));
            lag.put(partition, end - (done == null ? 0 : done.getOffset()));
        });
        return lag;
    }

    /** Per partition of {@code topic}, the offset the next record written to it will get. */
    public Map<Integer, Long> endOffsets(String topic) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        int partitions = partitions(topic); // one metadata request, not one per partition
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.LATEST);
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                KafkaClients.await(admin.listOffsets(latest), "end offsets of topic " + topic);
        Map<Integer, Long> out = new TreeMap<>();
        ends.forEach((partition, end) -> out.put(partition.getPartition(), end.getOffset()));
        return out;
    }

    /** The partition count of an existing topic. */
    public int partitions(String topic) {
        Map<String, TopicDescription> descriptions =
                KafkaClients.await(admin.describeTopics(List.of(topic)), "describing topic " + topic);
        return descriptions.get(topic).getPartitions().size();
    }

    private int grow(String topic, int partitions) {
        // The topic exists for the controller; the broker answering describe may learn of it a moment later.
        awaitPartitions(topic, 1);
        int existing = partitions(topic);
        if (existing >= partitions) {
            return existing;
        }
        KafkaClients.await(
                admin.createPartitions(Map.of(topic, new NewPartitions().setTotalCount(partitions))),
                "growing topic " + topic + " from " + existing + " to " + partitions + " partitions");
        awaitPartitions(topic, partitions);
        LOG.info("Topic {} grown from {} to {} partitions", topic, existing, partitions);
        return partitions;
    }

    /**
     * Waits until the brokers' metadata shows {@code partitions}: the controller acknowledges a change before every
     * broker has applied it, and a producer that looked earlier would spread records over the old partitions only.
     */
    private void awaitPartitions(String topic, int partitions) {
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (true) {
            try {
                if (partitions(topic) >= partitions) {
                    return;
                }
            } catch (KafkaException e) {
                // Not yet known to the broker that answered: UnknownTopicOrPartitionException.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topic " + topic + " does not show " + partitions + " partitions after " + METADATA_TIMEOUT);
            }
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka metadata", e);
        }
    }

    /** Closes the client; a request still waiting for an unreachable broker is abandoned after {@code CLOSE_WAIT}. */
    @Override
    public void close() {
        KafkaClients.await(admin.close(CLOSE_WAIT.toMillis()), "closing the Kafka admin client");
    }
}
