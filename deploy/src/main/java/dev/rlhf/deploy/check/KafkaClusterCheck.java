package dev.rlhf.deploy.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * The Strimzi objects fit together: every KafkaNodePool and KafkaTopic names (label {@code strimzi.io/cluster}) a
 * Kafka of the overlay, and no replication setting asks for more brokers than the cluster's node pools run (a
 * topic or the consumer offsets topic that cannot be placed leaves the PPO consumers without a group).
 */
public final class KafkaClusterCheck implements Check {

    static final String CLUSTER_LABEL = "strimzi.io/cluster";

    private static final List<String> REPLICATION_SETTINGS = List.of(
            "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor",
            "default.replication.factor");

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Resource kafka : manifests.ofKind("Kafka")) {
            int brokers = brokers(manifests, kafka.name());
            if (brokers == 0) {
                problems.add(problem(kafka.where() + " has no KafkaNodePool with the broker role"));
                continue;
            }
            JsonNode config = kafka.spec().path("kafka").path("config");
            for (String setting : REPLICATION_SETTINGS) {
                if (config.path(setting).asInt(1) > brokers) {
                    problems.add(problem(kafka.where() + " " + setting + " "
                            + config.path(setting).asInt() + " needs more brokers than the " + brokers
                            + " its node pools run"));
                }
            }
            if (config.path("min.insync.replicas").asInt(1)
                    > config.path("default.replication.factor").asInt(1)) {
                problems.add(problem(kafka.where() + " min.insync.replicas exceeds default.replication.factor: "
                        + "every acks=all write would fail"));
            }
        }
        for (Resource pool : manifests.ofKind("KafkaNodePool")) {
            cluster(manifests, pool, problems);
        }
        for (Resource topic : manifests.ofKind("KafkaTopic")) {
            String cluster = cluster(manifests, topic, problems);
            if (cluster == null) {
                continue;
            }
            int brokers = brokers(manifests, cluster);
            int replicas = topic.spec().path("replicas").asInt(1);
            if (brokers > 0 && replicas > brokers) {
                problems.add(problem(topic.where() + " wants " + replicas + " replicas but Kafka/" + cluster + " runs "
                        + brokers + " broker(s)"));
            }
        }
        return problems;
    }

    /** The Kafka the object's label names, or null (with a problem) when there is none. */
    private String cluster(Manifests manifests, Resource resource, List<Problem> problems) {
        String cluster = resource.json()
                .path("metadata")
                .path("labels")
                .path(CLUSTER_LABEL)
                .asText(null);
        if (cluster == null) {
            problems.add(problem(resource.where() + " has no " + CLUSTER_LABEL + " label"));
            return null;
        }
        if (manifests.find("Kafka", cluster).isEmpty()) {
            problems.add(problem(resource.where() + " belongs to Kafka/" + cluster + ", which the overlay lacks"));
            return null;
        }
        return cluster;
    }

    /** Brokers of a cluster: the replicas of its node pools that have the broker role. */
    static int brokers(Manifests manifests, String cluster) {
        int brokers = 0;
        for (Resource pool : manifests.ofKind("KafkaNodePool")) {
            boolean mine = cluster.equals(pool.json()
                    .path("metadata")
                    .path("labels")
                    .path(CLUSTER_LABEL)
                    .asText());
            boolean broker = false;
            for (JsonNode role : pool.spec().path("roles")) {
                broker |= role.asText().equals("broker");
            }
            if (mine && broker) {
                brokers += pool.spec().path("replicas").asInt(0);
            }
        }
        return brokers;
    }
}
