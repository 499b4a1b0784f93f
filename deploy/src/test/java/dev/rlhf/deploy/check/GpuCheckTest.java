package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.Overlays;
import dev.rlhf.deploy.manifest.Manifests;
import org.junit.jupiter.api.Test;

class GpuCheckTest {

    private final GpuCheck gpu = GpuCheck.requiring(Overlays.GPU_WORKLOADS);

    @Test
    void gpuWorkloadWithoutGpuLimitIsReported() {
        Manifests manifests = Broken.overlay(
                "gpu",
                "Job/rlhf-rollout-workers",
                d -> ((ObjectNode) Broken.firstContainer(d).path("resources").path("limits")).remove("nvidia.com/gpu"));
        assertEquals(
                "base/ppo/rollout-workers.yaml + overlays/gpu/patches/rollout-workers.yaml: "
                        + "Job/rlhf-rollout-workers container 'worker' requests nvidia.com/gpu 1 without an "
                        + "equal limit (none)\n"
                        + "base/ppo/rollout-workers.yaml + overlays/gpu/patches/rollout-workers.yaml: "
                        + "Job/rlhf-rollout-workers needs a GPU but no container has nvidia.com/gpu in its "
                        + "limits",
                Broken.messages(gpu.check(manifests)));
    }

    @Test
    void gpuPodWithoutTolerationIsReported() {
        Manifests manifests = Broken.overlay(
                "gpu",
                "Job/rlhf-ppo-learner",
                j -> ((ObjectNode) j.path("spec").path("template").path("spec")).remove("tolerations"));
        assertEquals(
                "base/ppo/learner-job.yaml + overlays/gpu/patches/learner-job.yaml: Job/rlhf-ppo-learner asks for a "
                        + "GPU but does not tolerate the nvidia.com/gpu taint",
                Broken.messages(gpu.check(manifests)));
    }

    @Test
    void gpuRequestInCpuOverlayIsReported() {
        Manifests manifests = Broken.overlay(
                "cpu-dev",
                "Deployment/rlhf-ref",
                d -> ((ObjectNode) Broken.firstContainer(d).path("resources").path("limits")).put("nvidia.com/gpu", 1));
        assertEquals(
                "base/scoring/ref-server.yaml: Deployment/rlhf-ref container 'server' asks for nvidia.com/gpu in a "
                        + "CPU-only overlay",
                Broken.messages(GpuCheck.none().check(manifests)));
    }
}
