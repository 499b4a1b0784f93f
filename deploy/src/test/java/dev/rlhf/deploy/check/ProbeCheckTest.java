package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.deploy.manifest.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeCheckTest {

    @Test
    void missingReadinessProbeIsNamedWithFileKindNameAndContainer() {
        Manifests manifests = Broken.overlay(
                "cpu-dev",
                "Deployment/rlhf-gateway",
                d -> Broken.firstContainer(d).remove("readinessProbe"));
        assertEquals(
                List.of(
                        new Problem(
                                "ProbeCheck",
                                "base/scoring/gateway.yaml: Deployment/rlhf-gateway container 'gateway' has no readinessProbe")),
                new ProbeCheck().check(manifests));
    }

    @Test
    void probeOnAPortTheContainerLacksIsReported() {
        Manifests manifests = Broken.overlay(
                "gpu",
                "Deployment/rlhf-rm",
                d -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                                Broken.firstContainer(d).path("livenessProbe").path("httpGet"))
                        .put("port", "health"));
        assertEquals(
                "base/scoring/rm-server.yaml + overlays/gpu/patches/rm-triton.yaml: Deployment/rlhf-rm container "
                        + "'server' livenessProbe probes port 'health', which the container does not declare "
                        + "[http:8000, grpc:8001, metrics:8002]",
                Broken.messages(new ProbeCheck().check(manifests)));
    }
}
