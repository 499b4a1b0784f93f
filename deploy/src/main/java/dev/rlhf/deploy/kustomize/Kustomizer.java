package dev.rlhf.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.kustomize.Kustomization.PatchRef;
import dev.rlhf.deploy.manifest.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization directory offline, as {@code kubectl kustomize} would for the features
 * {@link Kustomization} accepts: resources are loaded in order (a directory is rendered first, recursively), then this
 * kustomization's patches are applied, then its namespace, labels and image overrides (kustomize's own order).
 * Duplicate objects, patches whose target is missing and files outside the tree are errors that name the file.
 */
public final class Kustomizer {

    private final Path root;

    /** @param root the directory file names in {@link Resource#sources()} are relative to (deploy/) */
    public Kustomizer(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every object of the kustomization in {@code dir}, in resource order. */
    public List<Resource> render(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve(Kustomization.FILE_NAME))) {
            throw new KustomizeException(abs + ": no " + Kustomization.FILE_NAME);
        }
        Kustomization k = Kustomization.read(abs);
        List<Resource> resources = new ArrayList<>();
        for (String entry : k.resources()) {
            Path path = abs.resolve(entry).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(render(path));
            } else if (Files.isRegularFile(path)) {
                resources.addAll(load(path));
            } else {
                throw new KustomizeException(k.file() + ": resources: no such file or directory '" + entry + "'");
            }
        }
        requireUnique(k.file(), resources);
        for (PatchRef patch : k.patches()) {
            resources = patch(abs, k, patch, resources);
        }
        resources.forEach(r -> transform(k, r.json()));
        return resources;
    }

    private List<Resource> load(Path file) {
        List<Resource> out = new ArrayList<>();
        for (JsonNode document : Yaml.readAll(file)) {
            if (!document.isObject()
                    || !document.has("kind")
                    || !document.path("metadata").has("name")) {
                throw new KustomizeException(file + ": every document needs kind and metadata.name");
            }
            out.add(new Resource((ObjectNode) document, List.of(relative(file))));
        }
        return out;
    }

    private List<Resource> patch(Path dir, Kustomization k, PatchRef ref, List<Resource> resources) {
        Path file = dir.resolve(ref.path()).normalize();
        if (!Files.isRegularFile(file)) {
            throw new KustomizeException(k.file() + ": patches: no such file '" + ref.path() + "'");
        }
        JsonNode patch = Yaml.readOne(file);
        PatchTarget target = ref.target() != null ? ref.target() : ownTarget(file, patch);
        if (patch.isArray() && ref.target() == null) {
            throw new KustomizeException(k.file() + ": patch " + ref.path() + " is a JSON6902 list and needs a target");
        }
        List<Resource> out = new ArrayList<>();
        boolean applied = false;
        for (Resource resource : resources) {
            if (!target.matches(resource)) {
                out.add(resource);
                continue;
            }
            ObjectNode patched = resource.json().deepCopy();
            if (patch.isArray()) {
                JsonPatch.apply(patched, patch, relative(file));
            } else {
                StrategicMergePatch.apply(patched, patch, relative(file));
            }
            out.add(resource.patchedBy(patched, relative(file)));
            applied = true;
        }
        if (!applied) {
            throw new KustomizeException(
                    k.file() + ": patch " + ref.path() + ": no resource " + target + " to apply it to");
        }
        return out;
    }

    private static PatchTarget ownTarget(Path file, JsonNode patch) {
        if (!patch.isObject() || !patch.has("kind") || !patch.path("metadata").has("name")) {
            throw new KustomizeException(file + ": a strategic-merge patch names its kind and metadata.name");
        }
        return new PatchTarget(
                patch.get("kind").asText(), patch.path("metadata").path("name").asText());
    }

    private static void transform(Kustomization k, ObjectNode json) {
        ObjectNode metadata = (ObjectNode) json.get("metadata");
        if (k.namespace() != null) {
            metadata.put("namespace", k.namespace());
        }
        if (!k.labels().isEmpty()) {
            ObjectNode labels =
                    metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
            k.labels().forEach(labels::put);
        }
        if (!k.images().isEmpty()) {
            overrideImages(json, k.images());
        }
    }

    /** Rewrites every {@code image} under {@code containers} / {@code initContainers}, wherever they are nested. */
    private static void overrideImages(JsonNode node, List<ImageOverride> overrides) {
        if (node.isObject()) {
            for (String field : List.of("containers", "initContainers")) {
                for (JsonNode container : node.path(field)) {
                    if (container.isObject() && container.has("image")) {
                        String image = container.get("image").asText();
                        for (ImageOverride override : overrides) {
                            String replaced = override.apply(image);
                            if (!replaced.equals(image)) {
                                ((ObjectNode) container).put("image", replaced);
                                break;
                            }
                        }
                    }
                }
            }
        }
        node.forEach(child -> overrideImages(child, overrides));
    }

    private static void requireUnique(Path file, List<Resource> resources) {
        Set<String> seen = new HashSet<>();
        for (Resource r : resources) {
            if (!seen.add(r.id())) {
                throw new KustomizeException(file + ": " + r.id() + " is defined twice (" + r.sources() + ")");
            }
        }
    }

    private String relative(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }
}
