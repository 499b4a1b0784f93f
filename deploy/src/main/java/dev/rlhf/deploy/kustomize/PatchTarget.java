package dev.rlhf.deploy.kustomize;

import dev.rlhf.deploy.manifest.Resource;

/** The object a patch applies to: kind and exact name (kustomize also allows regexes and selectors; we do not). */
public record PatchTarget(String kind, String name) {

    public boolean matches(Resource resource) {
        return resource.kind().equals(kind) && resource.name().equals(name);
    }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
