package dev.rlhf.deploy.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.deploy.manifest.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

class PpoJobCheckTest {

    @Test
    void moreWorkersThanPromptPartitionsIsReported() {
        Manifests manifests = Broken.overlay(
                "gpu", "Job/rlhf-rollout-workers", d -> ((ObjectNode) d.path("spec")).put("parallelism", 6));
        assertEquals(
                "base/ppo/rollout-workers.yaml + overlays/gpu/patches/rollout-workers.yaml: "
                        + "Job/rlhf-rollout-workers container 'worker' runs 6 rollout workers but "
                        + "base/kafka/ppo-cluster-topics.yaml + overlays/gpu/patches/ppo-cluster-prompts.yaml: "
                        + "KafkaTopic/rlhf-ppo-cluster-prompts has 4 partitions: 2 would idle",
                Broken.messages(new PpoJobCheck().check(manifests)));
    }

    @Test
    void workerOfAnotherJobThanTheLearnersIsReported() {
        Manifests manifests = Broken.overlay(
                "cpu-dev",
                "Job/rlhf-rollout-workers",
                d -> ((ArrayNode) Broken.firstContainer(d).path("args"))
                        .add("--set")
                        .add("exp=other"));
        assertEquals(
                "base/ppo/rollout-workers.yaml + overlays/cpu-dev/patches/rollout-workers.yaml: "
                        + "Job/rlhf-rollout-workers container 'worker' works for job other-cluster but no "
                        + "learner runs that job (learner jobs: [ppo-cluster])\n"
                        + "job other-cluster: no KafkaTopic for rlhf.other-cluster.prompts\n"
                        + "job other-cluster: no KafkaTopic for rlhf.other-cluster.rollouts\n"
                        + "job other-cluster: no KafkaTopic for rlhf.other-cluster.policy-versions",
                Broken.messages(new PpoJobCheck().check(manifests)));
    }

    @Test
    void rolloutWorkersThatWouldOutliveTheLearnerAreReported() {
        Manifests manifests = Broken.overlay("cpu-dev", "Job/rlhf-rollout-workers", w -> {
            w.put("apiVersion", "apps/v1").put("kind", "Deployment");
            ObjectNode spec = (ObjectNode) w.path("spec");
            spec.remove(List.of("suspend", "parallelism", "backoffLimit"));
            spec.put("replicas", 1);
            ((ObjectNode) spec.path("template").path("spec")).put("restartPolicy", "Always");
        });
        assertEquals(
                "base/ppo/rollout-workers.yaml + overlays/cpu-dev/patches/rollout-workers.yaml: "
                        + "Deployment/rlhf-rollout-workers container 'worker' runs rollout workers in a Deployment, "
                        + "but they exit 0 when the learner announces the job's end: run them as a Job, which then "
                        + "completes",
                Broken.messages(new PpoJobCheck().check(manifests)));
    }

    @Test
    void policyVersionsTopicThatIsNotCompactedIsReported() {
        Manifests manifests = Broken.overlay(
                "cpu-dev",
                "KafkaTopic/rlhf-ppo-cluster-policy-versions",
                t -> ((ObjectNode) t.path("spec")).remove("config"));
        assertEquals(
                "base/kafka/ppo-cluster-topics.yaml: KafkaTopic/rlhf-ppo-cluster-policy-versions must be compacted "
                        + "(config cleanup.policy: compact)",
                Broken.messages(new PpoJobCheck().check(manifests)));
    }
}
