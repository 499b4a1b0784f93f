package dev.rlhf.deploy.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.Overlays;
import dev.rlhf.deploy.manifest.Manifests;
import dev.rlhf.deploy.manifest.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A real overlay with one object broken on purpose, to prove that a check reports what it should. */
final class Broken {

    private Broken() {}

    /** The rendered {@code overlay} with {@code edit} applied to the JSON of {@code Kind/name}. */
    static Manifests overlay(String overlay, String id, Consumer<ObjectNode> edit) {
        List<Resource> resources = new ArrayList<>();
        boolean found = false;
        for (Resource resource : Overlays.render(overlay)) {
            if (resource.id().equals(id)) {
                ObjectNode copy = resource.json().deepCopy();
                edit.accept(copy);
                resources.add(new Resource(copy, resource.sources()));
                found = true;
            } else {
                resources.add(resource);
            }
        }
        if (!found) {
            throw new AssertionError("overlays/" + overlay + " has no " + id);
        }
        return new Manifests(resources);
    }

    /** The rendered {@code overlay} without the objects {@code drop} matches. */
    static Manifests without(String overlay, Predicate<Resource> drop) {
        return new Manifests(
                Overlays.render(overlay).stream().filter(drop.negate()).toList());
    }

    /** The container at {@code spec.template.spec.containers[0]} of a workload's JSON. */
    static ObjectNode firstContainer(ObjectNode workload) {
        return (ObjectNode) workload.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
    }

    static String messages(List<Problem> problems) {
        return problems.stream().map(Problem::message).collect(Collectors.joining("\n"));
    }
}
