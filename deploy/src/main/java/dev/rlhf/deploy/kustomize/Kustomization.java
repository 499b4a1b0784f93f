package dev.rlhf.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code kustomization.yaml}, limited to what {@link Kustomizer} resolves: {@code resources} (files or directories
 * with their own kustomization), {@code patches} (a file, optionally with a {@code target} of kind and name),
 * {@code namespace}, {@code labels} (metadata labels only) and {@code images}. Any other field is refused with its
 * name, so a manifest never relies on a feature the offline checks would silently skip.
 */
public record Kustomization(
        Path file,
        List<String> resources,
        List<PatchRef> patches,
        String namespace,
        Map<String, String> labels,
        List<ImageOverride> images) {

    static final String FILE_NAME = "kustomization.yaml";

    private static final Set<String> FIELDS =
            Set.of("apiVersion", "kind", "resources", "patches", "namespace", "labels", "images");

    /**
     * One {@code patches:} entry.
     *
     * @param path the patch file, relative to the kustomization
     * @param target the object to patch; null for a strategic-merge patch that names its own kind and name
     */
    public record PatchRef(String path, PatchTarget target) {}

    /** Reads {@code dir/kustomization.yaml}. */
    public static Kustomization read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        JsonNode root = Yaml.readOne(file);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new KustomizeException(file + ": unsupported field '" + field + "' (the offline resolver knows "
                        + String.join(", ", FIELDS.stream().sorted().toList()) + "; see deploy/README.md)");
            }
        }
        return new Kustomization(
                file,
                strings(file, root.path("resources"), "resources"),
                patches(file, root.path("patches")),
                root.path("namespace").isMissingNode()
                        ? null
                        : root.path("namespace").asText(),
                labels(file, root.path("labels")),
                images(file, root.path("images")));
    }

    private static List<String> strings(Path file, JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw new KustomizeException(file + ": " + field + ": expected file names, got " + item);
            }
            out.add(item.asText());
        }
        return out;
    }

    private static List<PatchRef> patches(Path file, JsonNode list) {
        List<PatchRef> out = new ArrayList<>();
        for (JsonNode item : list) {
            only(file, item, "patches entry", Set.of("path", "target"));
            if (!item.path("path").isTextual()) {
                throw new KustomizeException(file + ": patches: every entry needs a path (inline patches are not "
                        + "supported), got " + item);
            }
            PatchTarget target = null;
            if (item.has("target")) {
                JsonNode t = item.get("target");
                only(file, t, "patch target", Set.of("kind", "name"));
                target = new PatchTarget(t.path("kind").asText(), t.path("name").asText());
            }
            out.add(new PatchRef(item.get("path").asText(), target));
        }
        return out;
    }

    private static Map<String, String> labels(Path file, JsonNode list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode item : list) {
            only(file, item, "labels entry", Set.of("pairs", "includeSelectors", "includeTemplates"));
            if (item.path("includeSelectors").asBoolean(false)
                    || item.path("includeTemplates").asBoolean(false)) {
                throw new KustomizeException(
                        file + ": labels: only metadata labels are supported (includeSelectors / includeTemplates)");
            }
            item.path("pairs")
                    .fields()
                    .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static List<ImageOverride> images(Path file, JsonNode list) {
        List<ImageOverride> out = new ArrayList<>();
        for (JsonNode item : list) {
            only(file, item, "images entry", Set.of("name", "newName", "newTag"));
            out.add(new ImageOverride(
                    item.path("name").asText(),
                    item.has("newName") ? item.get("newName").asText() : null,
                    item.has("newTag") ? item.get("newTag").asText() : null));
        }
        return out;
    }

    private static void only(Path file, JsonNode node, String what, Set<String> allowed) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new KustomizeException(file + ": " + what + ": unsupported field '" + f + "'");
            }
        });
    }
}
