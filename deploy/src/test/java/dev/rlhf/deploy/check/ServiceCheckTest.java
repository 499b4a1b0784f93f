package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.manifest.Manifests;
import org.junit.jupiter.api.Test;

class ServiceCheckTest {

    @Test
    void serviceSelectingNoPodIsReported() {
        Manifests manifests = Broken.overlay(
                "cpu-dev",
                "Service/rlhf-ref",
                s -> ((ObjectNode) s.path("spec").path("selector")).put("app.kubernetes.io/name", "rlhf-reference"));
        assertEquals(
                "base/scoring/ref-server.yaml: Service/rlhf-ref selects {app.kubernetes.io/name=rlhf-reference} but no "
                        + "pod template has those labels",
                Broken.messages(new ServiceCheck().check(manifests)));
    }

    @Test
    void targetPortNoContainerDeclaresIsReported() {
        Manifests manifests = Broken.overlay(
                "gpu",
                "Service/rlhf-rl-trainer",
                s -> ((ObjectNode) s.path("spec").path("ports").get(0)).put("targetPort", 8080));
        assertEquals(
                "base/trainers/rl-trainer.yaml: Service/rlhf-rl-trainer port 8083 targets 8080, which no container "
                        + "of Deployment/rlhf-rl-trainer declares [rl-trainer [http:8083]]",
                Broken.messages(new ServiceCheck().check(manifests)));
    }
}
