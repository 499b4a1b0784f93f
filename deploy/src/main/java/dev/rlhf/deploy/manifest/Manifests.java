package dev.rlhf.deploy.manifest;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rendered overlay: every object as JSON (for custom resources) and as the fabric8 model type its apiVersion and
 * kind name (for the core kinds), with the lookups the checks need. Objects that do not parse into their type are
 * kept aside with the parser's message ({@link #unparsed()}).
 */
public final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<Resource> resources;
    private final Map<Resource, HasMetadata> typed = new LinkedHashMap<>();
    private final Map<Resource, String> unparsed = new LinkedHashMap<>();

    public Manifests(List<Resource> resources) {
        this.resources = List.copyOf(resources);
        for (Resource resource : resources) {
            try {
                Object object = SERIALIZATION.unmarshal(resource.json().toString());
                if (object instanceof HasMetadata hasMetadata) {
                    typed.put(resource, hasMetadata);
                } else {
                    unparsed.put(resource, "not a Kubernetes object");
                }
            } catch (RuntimeException e) {
                unparsed.put(resource, rootMessage(e));
            }
        }
    }

    public List<Resource> all() {
        return resources;
    }

    /** The typed object of each resource that parsed. */
    public Map<Resource, HasMetadata> typed() {
        return typed;
    }

    /** Resources whose JSON does not fit their model type, with the reason. */
    public Map<Resource, String> unparsed() {
        return unparsed;
    }

    public List<Resource> ofKind(String kind) {
        return resources.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    public Optional<Resource> find(String kind, String name) {
        return resources.stream()
                .filter(r -> r.kind().equals(kind) && r.name().equals(name))
                .findFirst();
    }

    /** Typed objects of one model class, paired with their resource. */
    public <T extends HasMetadata> Map<Resource, T> typed(Class<T> type) {
        Map<Resource, T> out = new LinkedHashMap<>();
        typed.forEach((resource, object) -> {
            if (type.isInstance(object)) {
                out.put(resource, type.cast(object));
            }
        });
        return out;
    }

    public Map<Resource, Service> services() {
        return typed(Service.class);
    }

    public Map<Resource, ConfigMap> configMaps() {
        return typed(ConfigMap.class);
    }

    /** Every Deployment, StatefulSet, DaemonSet and Job with a pod template, through that template. */
    public List<Workload> workloads() {
        List<Workload> out = new ArrayList<>();
        typed(Deployment.class).forEach((r, d) -> {
            if (d.getSpec() != null) {
                add(out, r, d.getSpec().getTemplate(), orOne(d.getSpec().getReplicas()));
            }
        });
        typed(StatefulSet.class).forEach((r, s) -> {
            if (s.getSpec() != null) {
                add(out, r, s.getSpec().getTemplate(), orOne(s.getSpec().getReplicas()));
            }
        });
        typed(DaemonSet.class).forEach((r, d) -> {
            if (d.getSpec() != null) {
                add(out, r, d.getSpec().getTemplate(), 1);
            }
        });
        typed(Job.class).forEach((r, j) -> {
            if (j.getSpec() != null) {
                add(out, r, j.getSpec().getTemplate(), orOne(j.getSpec().getParallelism()));
            }
        });
        return out;
    }

    private static void add(List<Workload> out, Resource resource, PodTemplateSpec template, int replicas) {
        if (template != null && template.getSpec() != null) {
            out.add(new Workload(resource, template, replicas));
        }
    }

    private static int orOne(Integer value) {
        return value == null ? 1 : value;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
