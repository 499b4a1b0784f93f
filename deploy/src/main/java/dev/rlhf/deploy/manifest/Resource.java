package dev.rlhf.deploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One Kubernetes object as rendered: its JSON tree and the files it came from (the resource file first, then every
 * patch applied to it), so that a problem can name where to fix it.
 *
 * @param json the object; mutable only while the {@code Kustomizer} renders it
 * @param sources file names relative to the deploy directory, e.g. {@code base/ppo/rollout-workers.yaml}
 */
public record Resource(ObjectNode json, List<String> sources) {

    public Resource {
        sources = List.copyOf(sources);
    }

    public String apiVersion() {
        return json.path("apiVersion").asText("");
    }

    public String kind() {
        return json.path("kind").asText("");
    }

    public String name() {
        return json.path("metadata").path("name").asText("");
    }

    public String namespace() {
        return json.path("metadata").path("namespace").asText("");
    }

    /** {@code Kind/name}, how kubectl names an object. */
    public String id() {
        return kind() + "/" + name();
    }

    public JsonNode spec() {
        return json.path("spec");
    }

    /** A copy with {@code source} appended to the files it came from. */
    public Resource patchedBy(ObjectNode patched, String source) {
        List<String> all = new ArrayList<>(sources);
        all.add(source);
        return new Resource(patched, all);
    }

    /** {@code base/x.yaml + overlays/gpu/patches/y.yaml: Kind/name}: the prefix of every problem about it. */
    public String where() {
        return String.join(" + ", sources) + ": " + id();
    }
}
