package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import dev.rlhf.deploy.manifest.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every Service selects the pods of at least one workload (its selector is a subset of a pod template's labels), and
 * each of its ports' {@code targetPort} (by number or name; absent means the port number) is a port that a container
 * of every selected pod template declares. Otherwise the Service has no endpoints and its clients hang.
 */
public final class ServiceCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<Resource, Service> entry : manifests.services().entrySet()) {
            Resource resource = entry.getKey();
            Service service = entry.getValue();
            Map<String, String> selector =
                    service.getSpec() == null ? null : service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                problems.add(problem(resource.where() + " has no selector"));
                continue;
            }
            List<Workload> selected = manifests.workloads().stream()
                    .filter(w -> w.selectedBy(selector))
                    .toList();
            if (selected.isEmpty()) {
                problems.add(problem(
                        resource.where() + " selects " + selector + " but no pod template has " + "those labels"));
                continue;
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target =
                        port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                for (Workload workload : selected) {
                    if (workload.pod().getContainers().stream().noneMatch(c -> Ports.declares(c, target))) {
                        problems.add(problem(resource.where() + " port " + port.getPort() + " targets "
                                + Ports.show(target) + ", which no container of "
                                + workload.resource().id()
                                + " declares " + declared(workload)));
                    }
                }
            }
        }
        return problems;
    }

    private static String declared(Workload workload) {
        List<String> all = new ArrayList<>();
        for (Container container : workload.pod().getContainers()) {
            all.add(container.getName() + " " + Ports.declared(container));
        }
        return all.toString();
    }
}
