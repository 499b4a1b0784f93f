package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.manifest.Manifests;
import org.junit.jupiter.api.Test;

class AllocatorPolicyCheckTest {

    private final AllocatorPolicyCheck check = new AllocatorPolicyCheck();

    @Test
    void everyOverlayRunsTheSuitesJvmsWithTheMemoryPolicy() {
        for (String overlay : dev.rlhf.deploy.Overlays.ALL) {
            assertEquals("", Broken.messages(check.check(Broken.without(overlay, r -> false))), overlay);
        }
    }

    @Test
    void aWorkerWithoutTheVariableIsReported() {
        Manifests manifests = Broken.overlay(
                "cpu-dev",
                "Job/rlhf-rollout-workers",
                d -> Broken.firstContainer(d).remove("env"));
        assertEquals(
                "base/ppo/rollout-workers.yaml + overlays/cpu-dev/patches/rollout-workers.yaml: "
                        + "Job/rlhf-rollout-workers container 'worker' sets no "
                        + "GLIBC_TUNABLES (needs glibc.malloc.mmap_max=0)",
                Broken.messages(check.check(manifests)));
    }

    @Test
    void aValueWithoutMmapMaxZeroIsReported() {
        Manifests manifests = Broken.overlay("cpu-dev", "Job/rlhf-ppo-learner", j -> {
            ArrayNode env = (ArrayNode) Broken.firstContainer(j).path("env");
            ((ObjectNode) env.get(0)).put("value", "glibc.malloc.trim_threshold=17179869184");
        });
        assertEquals(
                "base/ppo/learner-job.yaml: Job/rlhf-ppo-learner container 'learner' GLIBC_TUNABLES "
                        + "'glibc.malloc.trim_threshold=17179869184' lacks glibc.malloc.mmap_max=0",
                Broken.messages(check.check(manifests)));
    }
}
