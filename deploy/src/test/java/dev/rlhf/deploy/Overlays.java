package dev.rlhf.deploy;

import dev.rlhf.deploy.check.ClusterRules;
import dev.rlhf.deploy.kustomize.Kustomizer;
import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The overlays of deploy/ and the rules each must keep; tests run with the module directory as working dir. */
public final class Overlays {

    public static final Path DEPLOY = Path.of("").toAbsolutePath();
    public static final List<String> ALL = List.of("gpu", "cpu-dev");

    /** The workloads that run on GPUs in the gpu overlay: RM and reference servers, rollout workers, the learner. */
    public static final Set<String> GPU_WORKLOADS = Set.of(
            "Deployment/rlhf-rm",
            "Deployment/rlhf-ref",
            "Job/rlhf-rollout-workers",
            "Deployment/rlhf-rl-trainer",
            "Job/rlhf-ppo-learner");

    private Overlays() {}

    public static List<Resource> render(String overlay) {
        return new Kustomizer(DEPLOY).render(DEPLOY.resolve("overlays").resolve(overlay));
    }

    public static Manifests manifests(String overlay) {
        return new Manifests(render(overlay));
    }

    public static ClusterRules rules(String overlay) {
        return overlay.equals("gpu") ? ClusterRules.gpu(GPU_WORKLOADS) : ClusterRules.cpuOnly();
    }
}
