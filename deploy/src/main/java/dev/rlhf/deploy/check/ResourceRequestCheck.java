package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every container requests CPU and memory (the scheduler places pods by requests; without them a JVM lands on a full
 * node) and has a memory limit no lower than its request (the JVM sizes its heap from the limit).
 */
public final class ResourceRequestCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            for (Container container : workload.allContainers()) {
                ResourceRequirements resources = container.getResources();
                Map<String, Quantity> requests = resources == null ? Map.of() : orEmpty(resources.getRequests());
                Map<String, Quantity> limits = resources == null ? Map.of() : orEmpty(resources.getLimits());
                for (String resource : List.of("cpu", "memory")) {
                    if (!requests.containsKey(resource)) {
                        problems.add(problem(workload.at(container) + " requests no " + resource));
                    }
                }
                if (!limits.containsKey("memory")) {
                    problems.add(problem(workload.at(container) + " has no memory limit"));
                } else if (requests.containsKey("memory")
                        && limits.get("memory").compareTo(requests.get("memory")) < 0) {
                    problems.add(problem(workload.at(container) + " memory limit " + limits.get("memory")
                            + " is below its request " + requests.get("memory")));
                }
            }
        }
        return problems;
    }

    private static Map<String, Quantity> orEmpty(Map<String, Quantity> map) {
        return map == null ? Map.of() : map;
    }
}
