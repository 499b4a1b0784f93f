package dev.rlhf.deploy.check;

import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every ConfigMap, Secret and PersistentVolumeClaim a pod template uses exists in the overlay, unless the reference
 * is marked {@code optional: true} (a pod with a missing required one never starts: CreateContainerConfigError or
 * Pending); a ConfigMap key it reads exists; every volume mount names a volume of the pod.
 */
public final class ReferenceCheck implements Check {

    @Override
    public List<Problem> check(Manifests manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            String where = workload.resource().where();
            Set<String> volumes =
                    workload.pod().getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
            for (Volume volume : workload.pod().getVolumes()) {
                String at = where + " volume '" + volume.getName() + "'";
                if (volume.getConfigMap() != null) {
                    require(
                            manifests,
                            "ConfigMap",
                            volume.getConfigMap().getName(),
                            volume.getConfigMap().getOptional(),
                            at,
                            problems);
                    volume.getConfigMap()
                            .getItems()
                            .forEach(item -> requireKey(
                                    manifests, volume.getConfigMap().getName(), item.getKey(), at, problems));
                }
                if (volume.getSecret() != null) {
                    require(
                            manifests,
                            "Secret",
                            volume.getSecret().getSecretName(),
                            volume.getSecret().getOptional(),
                            at,
                            problems);
                }
                if (volume.getPersistentVolumeClaim() != null) {
                    require(
                            manifests,
                            "PersistentVolumeClaim",
                            volume.getPersistentVolumeClaim().getClaimName(),
                            false,
                            at,
                            problems);
                }
            }
            for (Container container : workload.allContainers()) {
                String at = workload.at(container);
                for (VolumeMount mount : container.getVolumeMounts()) {
                    if (!volumes.contains(mount.getName())) {
                        problems.add(problem(at + " mounts volume '" + mount.getName() + "', which the pod does not "
                                + "declare " + volumes));
                    }
                }
                for (EnvVar env : container.getEnv()) {
                    env(manifests, env, at + " env " + env.getName(), problems);
                }
                for (EnvFromSource from : container.getEnvFrom()) {
                    if (from.getConfigMapRef() != null) {
                        require(
                                manifests,
                                "ConfigMap",
                                from.getConfigMapRef().getName(),
                                from.getConfigMapRef().getOptional(),
                                at + " envFrom",
                                problems);
                    }
                    if (from.getSecretRef() != null) {
                        require(
                                manifests,
                                "Secret",
                                from.getSecretRef().getName(),
                                from.getSecretRef().getOptional(),
                                at + " envFrom",
                                problems);
                    }
                }
            }
        }
        return problems;
    }

    private void env(Manifests manifests, EnvVar env, String at, List<Problem> problems) {
        if (env.getValueFrom() == null) {
            return;
        }
        var configMapKey = env.getValueFrom().getConfigMapKeyRef();
        if (configMapKey != null
                && require(manifests, "ConfigMap", configMapKey.getName(), configMapKey.getOptional(), at, problems)) {
            requireKey(manifests, configMapKey.getName(), configMapKey.getKey(), at, problems);
        }
        var secretKey = env.getValueFrom().getSecretKeyRef();
        if (secretKey != null) {
            require(manifests, "Secret", secretKey.getName(), secretKey.getOptional(), at, problems);
        }
    }

    /** True when the object exists; a problem when it is missing and required. */
    private boolean require(
            Manifests manifests, String kind, String name, Boolean optional, String at, List<Problem> problems) {
        if (manifests.find(kind, name).isPresent()) {
            return true;
        }
        if (!Boolean.TRUE.equals(optional)) {
            problems.add(problem(at + " uses " + kind + "/" + name + ", which the overlay does not define"));
        }
        return false;
    }

    private void requireKey(Manifests manifests, String configMap, String key, String at, List<Problem> problems) {
        Optional<ConfigMap> map = manifests.configMaps().entrySet().stream()
                .filter(e -> e.getKey().name().equals(configMap))
                .map(java.util.Map.Entry::getValue)
                .findFirst();
        if (map.isPresent()
                && (map.get().getData() == null || !map.get().getData().containsKey(key))) {
            problems.add(problem(at + " reads key '" + key + "' of ConfigMap/" + configMap + ", which has keys "
                    + (map.get().getData() == null ? "[]" : map.get().getData().keySet())));
        }
    }
}
