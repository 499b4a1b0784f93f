package dev.rlhf.deploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.deploy.kustomize.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named PPO job config shipped in a ConfigMap (a data key {@code <name>.yaml} whose YAML has a {@code kafka} or
 * {@code scoring} section): what the learner and the rollout workers compose with {@code --configs <name>}. Keys and
 * defaults are those of {@code core/src/main/resources/configs/ppo/defaults.yaml}.
 *
 * @param configMap the ConfigMap holding it
 * @param name the config's name: the data key without {@code .yaml}
 * @param yaml the parsed config
 */
public record PpoJobConfig(Resource configMap, String name, JsonNode yaml) {

    /** Defaults of the keys the checks read (configs/ppo/defaults.yaml). */
    public static final Map<String, String> DEFAULTS = Map.of(
            "role", "all",
            "exp", "run",
            "scoring.endpoint", "embedded",
            "kafka.bootstrap", "embedded",
            "kafka.partitions", "4",
            "kafka.workers", "1");

    /** Every PPO job config in the overlay's ConfigMaps. */
    public static List<PpoJobConfig> in(Manifests manifests) {
        List<PpoJobConfig> out = new ArrayList<>();
        manifests.configMaps().forEach((resource, map) -> out.addAll(in(resource, map)));
        return out;
    }

    private static List<PpoJobConfig> in(Resource resource, ConfigMap map) {
        List<PpoJobConfig> out = new ArrayList<>();
        if (map.getData() == null) {
            return out;
        }
        map.getData().forEach((key, text) -> {
            if (key.endsWith(".yaml") || key.endsWith(".yml")) {
                JsonNode yaml = parse(resource, key, text);
                if (yaml.path("kafka").isObject() || yaml.path("scoring").isObject()) {
                    out.add(new PpoJobConfig(resource, key.substring(0, key.lastIndexOf('.')), yaml));
                }
            }
        });
        return out;
    }

    /** The value at a dotted key ({@code kafka.bootstrap}) if this config sets it. */
    public Optional<String> get(String dottedKey) {
        JsonNode node = yaml;
        for (String part : dottedKey.split("\\.")) {
            node = node.path(part);
        }
        return node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** The job id of this config run alone ({@code POST /jobs?configs=<name>}): {@code <exp>-<name>}. */
    public String jobId() {
        return get("exp").orElse(DEFAULTS.get("exp")) + "-" + name;
    }

    /** {@code ConfigMap/name key name.yaml}, for messages. */
    public String where() {
        return configMap.where() + " key " + name + ".yaml";
    }

    private static JsonNode parse(Resource resource, String key, String text) {
        try {
            return Yaml.parse(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(resource.where() + " key " + key + ": not YAML: " + e.getMessage(), e);
        }
    }
}
