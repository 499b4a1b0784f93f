package dev.rlhf.deploy.manifest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container that runs a PPO job from the command line ({@code ppo --configs a b --set key=value}, the rl-trainer
 * image's arguments), with the configs it names resolved against the ConfigMaps mounted into its pod.
 *
 * @param workload the pod's owner
 * @param container the container
 * @param configNames {@code --configs}, in order
 * @param overrides {@code --set} pairs, later wins
 */
public record PpoCommand(
        Workload workload, Container container, List<String> configNames, Map<String, String> overrides) {

    /** Every PPO command in the overlay's workloads. */
    public static List<PpoCommand> in(Manifests manifests) {
        List<PpoCommand> out = new ArrayList<>();
        for (Workload workload : manifests.workloads()) {
            for (Container container : workload.pod().getContainers()) {
                List<String> args = container.getArgs();
                if (!args.isEmpty() && args.get(0).equals("ppo")) {
                    out.add(parse(workload, container, args));
                }
            }
        }
        return out;
    }

    private static PpoCommand parse(Workload workload, Container container, List<String> args) {
        List<String> configs = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        String option = null;
        for (String arg : args.subList(1, args.size())) {
            if (arg.startsWith("--")) {
                option = arg;
            } else if ("--configs".equals(option)) {
                configs.add(arg);
            } else if ("--set".equals(option) && arg.contains("=")) {
                overrides.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                option = null;
            }
        }
        return new PpoCommand(workload, container, configs, overrides);
    }

    /** The named configs found in ConfigMaps that this pod mounts; names not found are left out. */
    public List<PpoJobConfig> configs(List<PpoJobConfig> available) {
        List<String> mounted = workload.pod().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null)
                .map(Volume::getConfigMap)
                .map(c -> c.getName())
                .toList();
        List<PpoJobConfig> out = new ArrayList<>();
        for (String name : configNames) {
            available.stream()
                    .filter(c -> c.name().equals(name)
                            && mounted.contains(c.configMap().name()))
                    .findFirst()
                    .ifPresent(out::add);
        }
        return out;
    }

    /** The composed value of a key: the last {@code --set}, else the last config that sets it, else the default. */
    public String value(String key, List<PpoJobConfig> available) {
        if (overrides.containsKey(key)) {
            return overrides.get(key);
        }
        List<PpoJobConfig> configs = configs(available);
        for (int i = configs.size() - 1; i >= 0; i--) {
            Optional<String> value = configs.get(i).get(key);
            if (value.isPresent()) {
                return value.get();
            }
        }
        return PpoJobConfig.DEFAULTS.get(key);
    }

    /** The job id, which names the Kafka topics: the run name {@code <exp>-<config names>}. */
    public String jobId(List<PpoJobConfig> available) {
        List<String> parts = new ArrayList<>();
        parts.add(value("exp", available));
        configNames.stream().filter(n -> !n.equals("defaults")).forEach(parts::add);
        return String.join("-", parts);
    }

    public String where() {
        return workload.at(container);
    }
}
