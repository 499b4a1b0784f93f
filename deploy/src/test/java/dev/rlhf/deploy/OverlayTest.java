package dev.rlhf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.deploy.check.Problem;
import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import dev.rlhf.deploy.manifest.Workload;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each overlay renders and passes every cluster rule; the facts that distinguish the overlays hold. */
class OverlayTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "cpu-dev"})
    void overlayKeepsEveryRule(String overlay) {
        Manifests manifests = Overlays.manifests(overlay);
        List<Problem> problems = Overlays.rules(overlay).check(manifests);
        assertEquals(
                "", problems.stream().map(Problem::toString).collect(Collectors.joining("\n")), "overlays/" + overlay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "cpu-dev"})
    void overlayHasTheWholeTopology(String overlay) {
        Map<String, Long> kinds =
                Overlays.render(overlay).stream().collect(Collectors.groupingBy(Resource::kind, Collectors.counting()));
        assertEquals(
                Map.of(
                        "Deployment", 6L,
                        "Job", 2L, // the learner and the rollout workers, which end with it
                        "Service", 6L,
                        "ConfigMap", 9L,
                        "PersistentVolumeClaim", 1L,
                        "Kafka", 1L,
                        "KafkaNodePool", 1L,
                        "KafkaTopic", 3L),
                kinds);
        assertTrue(Overlays.render(overlay).stream().allMatch(r -> r.namespace().equals("rlhf")));
    }

    @Test
    void gpuServesRmAndRefWithTritonAndScalesWorkersToThePartitions() {
        Manifests manifests = Overlays.manifests("gpu");
        for (String name : List.of("rlhf-rm", "rlhf-ref")) {
            Workload server = workload(manifests, "Deployment/" + name);
            String image = server.pod().getContainers().get(0).getImage();
            assertTrue(image.startsWith("nvcr.io/nvidia/tritonserver:"), image);
            assertTrue(server.pod()
                    .getContainers()
                    .get(0)
                    .getArgs()
                    .contains("--model-repository=/data/repos/" + name.substring("rlhf-".length())));
        }
        assertEquals(4, workload(manifests, "Job/rlhf-rollout-workers").replicas());
        assertEquals(
                "registry.example.com/rlhf/cli:0.1.0",
                workload(manifests, "Job/rlhf-ppo-learner")
                        .pod()
                        .getContainers()
                        .get(0)
                        .getImage());
    }

    @Test
    void cpuDevAsksForNoGpuAndRunsOneWorker() {
        Manifests manifests = Overlays.manifests("cpu-dev");
        String all = Overlays.render("cpu-dev").toString();
        assertFalse(all.contains("nvidia.com/gpu"), "cpu-dev mentions nvidia.com/gpu");
        assertEquals(1, workload(manifests, "Job/rlhf-rollout-workers").replicas());
        assertEquals(
                "rlhf/inference-gateway:0.1.0",
                workload(manifests, "Deployment/rlhf-rm")
                        .pod()
                        .getContainers()
                        .get(0)
                        .getImage());
    }

    private static Workload workload(Manifests manifests, String id) {
        return manifests.workloads().stream()
                .filter(w -> w.resource().id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + id));
    }
}
