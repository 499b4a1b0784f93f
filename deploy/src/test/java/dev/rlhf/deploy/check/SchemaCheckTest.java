package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.manifest.Manifests;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {

    @Test
    void misspeltFieldIsReportedWithItsPath() {
        Manifests manifests = Broken.overlay("cpu-dev", "Deployment/rlhf-gateway", d -> {
            ObjectNode spec = (ObjectNode) d.path("spec");
            spec.set("replicass", spec.remove("replicas"));
        });
        assertEquals(
                "base/scoring/gateway.yaml: Deployment/rlhf-gateway has unknown field .spec.replicass",
                Broken.messages(new SchemaCheck().check(manifests)));
    }

    @Test
    void wrongTypeIsReported() {
        Manifests manifests = Broken.overlay(
                "cpu-dev", "Deployment/rlhf-gateway", d -> ((ObjectNode) d.path("spec")).put("replicas", "two"));
        String messages = Broken.messages(new SchemaCheck().check(manifests));
        assertTrue(
                messages.startsWith("base/scoring/gateway.yaml: Deployment/rlhf-gateway does not parse: "), messages);
        assertFalse(messages.contains("\n"), messages);
    }
}
