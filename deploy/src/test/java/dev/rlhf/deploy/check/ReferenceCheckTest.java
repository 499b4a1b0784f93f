package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.manifest.Manifests;
import org.junit.jupiter.api.Test;

class ReferenceCheckTest {

    @Test
    void missingConfigMapIsReportedByEveryPodThatMountsIt() {
        Manifests manifests = Broken.without("cpu-dev", r -> r.id().equals("ConfigMap/rlhf-ppo-jobs"));
        assertEquals(
                "base/trainers/rl-trainer.yaml: Deployment/rlhf-rl-trainer volume 'jobs' uses "
                        + "ConfigMap/rlhf-ppo-jobs, which the overlay does not define\n"
                        + "base/ppo/rollout-workers.yaml + overlays/cpu-dev/patches/rollout-workers.yaml: "
                        + "Job/rlhf-rollout-workers volume 'jobs' uses ConfigMap/rlhf-ppo-jobs, "
                        + "which the overlay does not define\n"
                        + "base/ppo/learner-job.yaml: Job/rlhf-ppo-learner volume 'jobs' uses "
                        + "ConfigMap/rlhf-ppo-jobs, which the overlay does not define",
                Broken.messages(new ReferenceCheck().check(manifests)));
    }

    @Test
    void theApiTokenSecretMayBeAbsentOnlyBecauseItIsOptional() {
        Manifests manifests = Broken.overlay(
                "cpu-dev",
                "Deployment/rlhf-sft-trainer",
                d -> ((ObjectNode) token(Broken.firstContainer(d))
                                .path("valueFrom")
                                .path("secretKeyRef"))
                        .remove("optional"));
        assertEquals(
                "base/trainers/sft-trainer.yaml: Deployment/rlhf-sft-trainer container 'sft-trainer' env "
                        + "RLHF_API_TOKEN uses Secret/rlhf-api-token, which the overlay does not define",
                Broken.messages(new ReferenceCheck().check(manifests)));
    }

    private static JsonNode token(ObjectNode container) {
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("RLHF_API_TOKEN")) {
                return env;
            }
        }
        throw new AssertionError("no RLHF_API_TOKEN in " + container);
    }
}
