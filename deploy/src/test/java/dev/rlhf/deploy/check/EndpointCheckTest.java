package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.manifest.Manifests;
import org.junit.jupiter.api.Test;

class EndpointCheckTest {

    @Test
    void scoringEndpointOnAMissingServiceAndKafkaOnAWrongPortAreReported() {
        Manifests manifests = Broken.overlay("gpu", "ConfigMap/rlhf-ppo-jobs", c -> {
            ObjectNode data = (ObjectNode) c.path("data");
            data.put(
                    "cluster.yaml",
                    data.get("cluster.yaml")
                            .asText()
                            .replace("rlhf-gateway:8000", "rlhf-scoring:8000")
                            .replace("rlhf-kafka-bootstrap:9092", "rlhf-kafka-bootstrap:9093"));
        });
        assertEquals(
                "base/config/ppo-jobs.yaml: ConfigMap/rlhf-ppo-jobs key cluster.yaml scoring.endpoint "
                        + "'rlhf-scoring:8000': no Service rlhf-scoring in the overlay (Services: [rlhf-gateway, "
                        + "rlhf-kafka-bootstrap, rlhf-ref, rlhf-rl-trainer, rlhf-rm, rlhf-rm-trainer, rlhf-sft-trainer])\n"
                        + "base/config/ppo-jobs.yaml: ConfigMap/rlhf-ppo-jobs key cluster.yaml kafka.bootstrap "
                        + "'rlhf-kafka-bootstrap:9093': Service rlhf-kafka-bootstrap has no port 9093 (ports: [9092])",
                Broken.messages(new EndpointCheck().check(manifests)));
    }

    @Test
    void gatewayForwardToAWrongPortIsReported() {
        Manifests manifests = Broken.overlay("cpu-dev", "ConfigMap/rlhf-gateway-config", c -> {
            ObjectNode data = (ObjectNode) c.path("data");
            data.put(
                    "application.properties",
                    data.get("application.properties").asText().replace("rlhf-ref:8001", "rlhf-ref.other:8001"));
        });
        assertEquals(
                "base/config/gateway.yaml: ConfigMap/rlhf-gateway-config gateway.models.ref.endpoint "
                        + "'rlhf-ref.other:8001' points into namespace other, not the overlay's rlhf",
                Broken.messages(new EndpointCheck().check(manifests)));
    }
}
