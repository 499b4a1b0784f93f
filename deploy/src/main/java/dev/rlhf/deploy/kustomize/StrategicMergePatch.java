package dev.rlhf.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes strategic-merge patch for the fields these manifests patch: objects merge key by key, {@code null}
 * deletes a key, and lists of the core workload schema merge by their patch merge key (containers, volumes and env by
 * {@code name}, volume mounts by {@code mountPath}, container ports by {@code containerPort}, Service ports by
 * {@code port}), elements new to the list going first as kustomize (kyaml) orders them; every other list is replaced,
 * as for custom resources (JSON merge patch). Directives such as {@code $patch} are refused.
 */
public final class StrategicMergePatch {

    /** List field name -> the key its elements merge on, from the Kubernetes API's patchMergeKey. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "volumes", "name",
            "env", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name");

    /** API groups whose schema carries merge keys; other kinds (custom resources) get plain JSON merge patch. */
    private static final Set<String> SCHEMA_GROUPS = Set.of("v1", "apps/v1", "batch/v1");

    private StrategicMergePatch() {}

    /** Merges {@code patch} into {@code target} in place. */
    public static void apply(ObjectNode target, JsonNode patch, String patchFile) {
        boolean strategic = SCHEMA_GROUPS.contains(target.path("apiVersion").asText());
        merge(target, patch, strategic, patchFile, "");
    }

    private static void merge(ObjectNode target, JsonNode patch, boolean strategic, String file, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            String at = path + "/" + key;
            if (key.startsWith("$")) {
                throw new KustomizeException(file + ": " + at + ": patch directives are not supported");
            }
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, value, strategic, file, at);
            } else if (value.isArray() && existing != null && existing.isArray() && strategic) {
                target.set(key, mergeList(key, (ArrayNode) existing, (ArrayNode) value, file, at));
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static ArrayNode mergeList(String field, ArrayNode existing, ArrayNode patch, String file, String path) {
        String mergeKey = mergeKey(field, patch);
        if (mergeKey == null) {
            return patch.deepCopy();
        }
        ArrayNode out = existing.deepCopy();
        int added = 0;
        for (JsonNode item : patch) {
            JsonNode id = item.get(mergeKey);
            if (id == null) {
                throw new KustomizeException(
                        file + ": " + path + ": every element needs its merge key '" + mergeKey + "': " + item);
            }
            ObjectNode match = find(out, mergeKey, id);
            if (match == null) {
                out.insert(added++, item.deepCopy());
            } else {
                merge(match, item, true, file, path + "[" + mergeKey + "=" + id.asText() + "]");
            }
        }
        return out;
    }

    /** {@code ports} is keyed by {@code containerPort} in a container and by {@code port} in a Service. */
    private static String mergeKey(String field, ArrayNode patch) {
        if (field.equals("ports")) {
            return patch.size() > 0 && patch.get(0).has("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    private static ObjectNode find(ArrayNode list, String key, JsonNode id) {
        for (JsonNode element : list) {
            if (element.isObject() && id.equals(element.get(key))) {
                return (ObjectNode) element;
            }
        }
        return null;
    }
}
