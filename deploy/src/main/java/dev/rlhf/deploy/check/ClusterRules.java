package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Every check, for one overlay: what a rendered overlay must satisfy before it goes near a cluster. */
public final class ClusterRules {

    private final List<Check> checks;

    private ClusterRules(GpuCheck gpu) {
        this.checks = List.of(
                new SchemaCheck(),
                new WorkloadSelectorCheck(),
                new ProbeCheck(),
                new ResourceRequestCheck(),
                new AllocatorPolicyCheck(),
                gpu,
                new ServiceCheck(),
                new ReferenceCheck(),
                new EndpointCheck(),
                new KafkaClusterCheck(),
                new PpoJobCheck());
    }

    /** An overlay for GPU nodes, where the workloads {@code gpuWorkloads} ({@code Kind/name}) need a GPU each. */
    public static ClusterRules gpu(Set<String> gpuWorkloads) {
        return new ClusterRules(GpuCheck.requiring(gpuWorkloads));
    }

    /** An overlay without GPUs (kind, minikube). */
    public static ClusterRules cpuOnly() {
        return new ClusterRules(GpuCheck.none());
    }

    /** All problems of all checks; empty when the overlay is fit to apply. */
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Check check : checks) {
            problems.addAll(check.check(manifests));
        }
        return problems;
    }
}
