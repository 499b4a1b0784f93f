package dev.rlhf.deploy.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rlhf.deploy.manifest.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver on a small overlay that uses every supported feature, and its refusals. */
class KustomizerTest {

    private static final Path FIXTURES = Path.of("src/test/resources/kustomize");

    private final List<Resource> rendered = new Kustomizer(FIXTURES).render(FIXTURES.resolve("overlay"));

    @Test
    void strategicMergeMergesContainersAndEnvByNameAndReplacesOtherLists() throws IOException {
        JsonNode spec = find("Deployment/app").spec();
        assertEquals(3, spec.path("replicas").asInt());
        JsonNode containers = spec.path("template").path("spec").path("containers");
        assertEquals(2, containers.size());
        assertEquals(
                Yaml.parse("[{name: B, value: '2'}, {name: A, value: '1'}]"),
                containers.get(0).path("env"));
        assertEquals(
                Yaml.parse("[{key: b, operator: Exists}]"),
                spec.path("template").path("spec").path("tolerations"));
        assertEquals(
                List.of("base/app.yaml", "overlay/patches/smp.yaml"),
                find("Deployment/app").sources());
    }

    @Test
    void jsonPatchAddsAndReplacesByPointer() throws IOException {
        assertEquals(
                Yaml.parse("[{port: 8080}, {port: 443}]"),
                find("Service/app").spec().path("ports"));
    }

    @Test
    void namespaceLabelsAndImagesApplyToEveryObject() {
        for (Resource resource : rendered) {
            assertEquals("test", resource.namespace());
            assertEquals(
                    "rl",
                    resource.json().path("metadata").path("labels").path("team").asText());
        }
        JsonNode containers =
                find("Deployment/app").spec().path("template").path("spec").path("containers");
        assertEquals("registry.test/app:2", containers.get(0).path("image").asText());
        assertEquals("example/side:v3", containers.get(1).path("image").asText());
    }

    @Test
    void imageOverrideKeepsRegistryPortsAndDigests() {
        ImageOverride override = new ImageOverride("host:5000/app", null, "7");
        assertEquals("host:5000/app:7", override.apply("host:5000/app:1"));
        assertEquals("host:5000/app:7", override.apply("host:5000/app"));
        assertEquals("other:1", override.apply("other:1"));
    }

    @Test
    void unsupportedFieldIsRefusedWithTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "commonLabels: {a: b}\n");
        KustomizeException e = assertThrows(KustomizeException.class, () -> new Kustomizer(dir).render(dir));
        assertTrue(
                e.getMessage().startsWith(dir.resolve("kustomization.yaml") + ": unsupported field 'commonLabels'"),
                e.getMessage());
    }

    @Test
    void patchWithoutTargetIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml]\npatches: [{path: p.yaml}]\n");
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Files.writeString(
                dir.resolve("p.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: v}\n");
        KustomizeException e = assertThrows(KustomizeException.class, () -> new Kustomizer(dir).render(dir));
        assertTrue(e.getMessage().endsWith("patch p.yaml: no resource ConfigMap/b to apply it to"), e.getMessage());
    }

    @Test
    void duplicateObjectIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [cm.yaml, cm.yaml]\n");
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        KustomizeException e = assertThrows(KustomizeException.class, () -> new Kustomizer(dir).render(dir));
        assertTrue(e.getMessage().contains("ConfigMap/a is defined twice"), e.getMessage());
    }

    private Resource find(String id) {
        return rendered.stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + rendered));
    }
}
