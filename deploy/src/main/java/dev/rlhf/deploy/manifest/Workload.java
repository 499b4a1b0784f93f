package dev.rlhf.deploy.manifest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An object that runs pods (Deployment, StatefulSet, DaemonSet, Job) seen through its pod template.
 *
 * @param resource the object, for messages
 * @param template its typed pod template
 * @param replicas pods it runs at once (a Job's parallelism)
 */
public record Workload(Resource resource, PodTemplateSpec template, int replicas) {

    public PodSpec pod() {
        return template.getSpec();
    }

    public Map<String, String> labels() {
        Map<String, String> labels =
                template.getMetadata() == null ? null : template.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /** Init containers and containers, each of which a cluster starts. */
    public List<Container> allContainers() {
        List<Container> all = new ArrayList<>(pod().getInitContainers());
        all.addAll(pod().getContainers());
        return all;
    }

    /** True when every pair of {@code selector} is among this template's labels (how a Service selects pods). */
    public boolean selectedBy(Map<String, String> selector) {
        return !selector.isEmpty() && labels().entrySet().containsAll(selector.entrySet());
    }

    /** {@code where: container 'name'}: how problems name a container. */
    public String at(Container container) {
        return resource.where() + " container '" + container.getName() + "'";
    }
}
