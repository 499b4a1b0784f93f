package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import dev.rlhf.deploy.manifest.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GPU placement. In a GPU overlay each workload that needs a GPU has a container with {@code nvidia.com/gpu} in its
 * limits (extended resources are scheduled by limits; a request alone is refused) and tolerates the
 * {@code nvidia.com/gpu} taint of GPU nodes; a request, where given, equals the limit. In a CPU overlay nothing asks
 * for a GPU or selects GPU nodes, so every pod schedules on kind or minikube.
 */
public final class GpuCheck implements Check {

    static final String GPU = "nvidia.com/gpu";

    private final Set<String> needGpu;

    private GpuCheck(Set<String> needGpu) {
        this.needGpu = Set.copyOf(needGpu);
    }

    /** A GPU overlay where the workloads {@code ids} ({@code Kind/name}) must each get a GPU. */
    public static GpuCheck requiring(Set<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a GPU overlay names the workloads that need GPUs");
        }
        return new GpuCheck(ids);
    }

    /** A CPU-only overlay. */
    public static GpuCheck none() {
        return new GpuCheck(Set.of());
    }

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        List<String> found =
                manifests.workloads().stream().map(w -> w.resource().id()).toList();
        for (String id : needGpu) {
            if (!found.contains(id)) {
                problems.add(problem(id + " should run on a GPU but the overlay has no such workload"));
            }
        }
        for (Workload workload : manifests.workloads()) {
            if (needGpu.isEmpty()) {
                cpuOnly(workload, problems);
            } else {
                gpu(workload, needGpu.contains(workload.resource().id()), problems);
            }
        }
        return problems;
    }

    private void gpu(Workload workload, boolean needed, List<Problem> problems) {
        boolean limited = false;
        for (Container container : workload.allContainers()) {
            Map<String, Quantity> requests = requests(container.getResources());
            Map<String, Quantity> limits = limits(container.getResources());
            if (requests.containsKey(GPU) && !requests.get(GPU).equals(limits.get(GPU))) {
                problems.add(problem(workload.at(container) + " requests " + GPU + " " + requests.get(GPU)
                        + " without an equal limit (" + (limits.containsKey(GPU) ? limits.get(GPU) : "none") + ")"));
            }
            limited |= limits.containsKey(GPU)
                    && limits.get(GPU).getNumericalAmount().signum() > 0;
        }
        Resource r = workload.resource();
        if (needed && !limited) {
            problems.add(problem(r.where() + " needs a GPU but no container has " + GPU + " in its limits"));
        }
        if (limited && !toleratesGpu(workload)) {
            problems.add(problem(r.where() + " asks for a GPU but does not tolerate the " + GPU + " taint"));
        }
    }

    private void cpuOnly(Workload workload, List<Problem> problems) {
        for (Container container : workload.allContainers()) {
            if (requests(container.getResources()).containsKey(GPU)
                    || limits(container.getResources()).containsKey(GPU)) {
                problems.add(problem(workload.at(container) + " asks for " + GPU + " in a CPU-only overlay"));
            }
        }
        Map<String, String> selector = workload.pod().getNodeSelector();
        if (selector != null && selector.keySet().stream().anyMatch(k -> k.startsWith("nvidia.com/"))) {
            problems.add(
                    problem(workload.resource().where() + " selects GPU nodes " + selector + " in a CPU-only overlay"));
        }
    }

    private static boolean toleratesGpu(Workload workload) {
        return workload.pod().getTolerations().stream()
                .anyMatch(t -> GPU.equals(t.getKey()) || (t.getKey() == null && "Exists".equals(t.getOperator())));
    }

    private static Map<String, Quantity> requests(ResourceRequirements resources) {
        return resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
    }

    private static Map<String, Quantity> limits(ResourceRequirements resources) {
        return resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
    }
}
