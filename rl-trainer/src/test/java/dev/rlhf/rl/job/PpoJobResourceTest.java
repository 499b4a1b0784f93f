package dev.rlhf.rl.job;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.rl.testing.YesNoTask;
import dev.rlhf.service.jobs.testing.JobApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PPO end to end on CPU, everything embedded, through the job trigger endpoint: a Kafka broker in-process, the
 * gateway serving the exported reward and reference models over gRPC, a rollout worker and the learner. The reward
 * model prefers "yes"; after a few dozen iterations the mean reward has clearly risen while KL stays bounded.
 */
@QuarkusTest
class PpoJobResourceTest {

    private static YesNoTask task;

    @BeforeAll
    static void trainPolicyAndRewardModel() throws Exception {
        task = YesNoTask.prepare(Files.createTempDirectory("ppo-e2e"));
    }

    @Test
    void ppoRaisesTheRewardWhileKlStaysBounded() throws Exception {
        String id = JobApi.submit(task.ppoConfig("e2e", 24));
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("state"), done.prettify());

        List<Map<String, Object>> series = JobApi.metrics(id);
        List<Double> rewards =
                series.stream().map(v -> number(v, "objective/scores")).toList();
        List<Double> kls = series.stream().map(v -> number(v, "objective/kl")).toList();
        assertEquals(24, rewards.size());
        double start = mean(rewards.subList(0, 3));
        double end = mean(rewards.subList(rewards.size() - 3, rewards.size()));
        System.out.printf("PPO yes/no: reward %.3f -> %.3f; kl %s%n", start, end, kls);
        assertTrue(end > start + 0.5, "reward " + start + " -> " + end + ": " + rewards);
        assertTrue(kls.stream().allMatch(k -> Double.isFinite(k) && k < 15), "KL bounded: " + kls);
        List<String> completions = given().get("/jobs/" + id + "/samples")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("[0].samples.completion");
        assertTrue(!completions.isEmpty() && completions.get(0).contains("[reward"), "PPO samples: " + completions);
        Path run = Path.of(done.getString("run_dir"));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/last/policy/model.safetensors")));
        assertTrue(Files.isRegularFile(run.resolve("export/rm/config.pbtxt")));
    }

    /**
     * GRPO through the same path (prompts and rollouts over Kafka, reward and reference over gRPC): each prompt is
     * sampled 4 times, no critic is loaded or saved, and the reward rises.
     */
    @Test
    void grpoRaisesTheRewardWithoutACritic() throws Exception {
        String config = task.ppoConfig("e2e-grpo", 24)
                .replace("  epochs: 2", "  epochs: 2\n  algorithm: grpo\n  group_size: 4");
        String id = JobApi.submit(config);
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("state"), done.prettify());

        List<Double> rewards = JobApi.metrics(id).stream()
                .map(v -> number(v, "objective/scores"))
                .toList();
        double start = mean(rewards.subList(0, 3));
        double end = mean(rewards.subList(rewards.size() - 3, rewards.size()));
        System.out.printf("GRPO yes/no: reward %.3f -> %.3f%n", start, end);
        assertTrue(end > start + 0.3, "reward " + start + " -> " + end + ": " + rewards);
        Path last = Path.of(done.getString("run_dir")).resolve("checkpoints/last");
        assertTrue(Files.isRegularFile(last.resolve("policy/model.safetensors")));
        assertTrue(Files.notExists(last.resolve("critic")), "GRPO trains no value model");
    }

    /**
     * Rule rewards only, through the same path: no reward model is trained, exported or served; the workers score each
     * response with a regular expression (1 for a "yes") and a length penalty, and GRPO raises the reward. The
     * per-source means are logged under TRL's names.
     */
    @Test
    void ruleRewardsAloneTrainThePolicy() throws Exception {
        String config = task.ppoConfig("e2e-rules", 24)
                        .replace("  reward_model: " + task.rewardModel, "  critic: policy")
                        .replace("  epochs: 2", "  epochs: 2\n  algorithm: grpo\n  group_size: 4")
                + "\nrewards:\n  - {source: regex_format, weight: 1.0, pattern: '^yes'}\n"
                + "  - {source: length_penalty, weight: 1.0, target_length: 8, penalty: 0.1, unit: characters}\n";
        String id = JobApi.submit(config);
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(10));
        assertEquals("succeeded", done.getString("state"), done.prettify());
        List<Map<String, Object>> series = JobApi.metrics(id);
        List<Double> yes =
                series.stream().map(v -> number(v, "rewards/regex_format/mean")).toList();
        double start = mean(yes.subList(0, 3));
        double end = mean(yes.subList(yes.size() - 3, yes.size()));
        System.out.printf("GRPO with a rule reward: share of yes %.3f -> %.3f%n", start, end);
        assertTrue(end > start + 0.3, "share of yes " + start + " -> " + end + ": " + yes);
        assertTrue(series.stream().allMatch(v -> v.containsKey("rewards/length_penalty/mean")), series.toString());
        Path run = Path.of(done.getString("run_dir"));
        assertTrue(Files.notExists(run.resolve("export/rm")), "no reward model exported");
    }

    /** A rule that compares with the reference answer refuses a prompt file without one, before any model loads. */
    @Test
    void exactMatchWithoutAnswersIsABadRequest() throws Exception {
        String config =
                task.ppoConfig("e2e-no-answer", 2).replace("  reward_model: " + task.rewardModel, "  critic: policy")
                        + "\nrewards:\n  - {source: exact_match, weight: 1.0}\n";
        given().contentType("application/yaml")
                .body(config.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/jobs")
                .then()
                .statusCode(400)
                .body(
                        "error",
                        org.hamcrest.Matchers.containsString(
                                task.prompts.getParent().getFileName() + "/" + task.prompts.getFileName()
                                        + ":1: no 'answer' field"));
    }

    /**
     * A reward source slower than {@code scoring.reward_timeout_ms} fails its rollouts instead of stalling: the learner
     * drops their groups at once, and with no complete group left the job fails naming the source and the timeout.
     */
    @Test
    void aRewardSourcePastItsTimeoutFailsTheRolloutsNamingIt() throws Exception {
        String config = task.ppoConfig("e2e-timeout", 2).replace("kl:", "scoring:\n  reward_timeout_ms: 1\nkl:");
        String id = JobApi.submit(config);
        JsonPath done = JobApi.awaitEnd(id, Duration.ofMinutes(5));
        assertEquals("failed", done.getString("state"), done.prettify());
        String error = done.getString("error");
        assertTrue(error.contains("reward source reward_model timed out after 1 ms"), error);
        assertTrue(error.contains("no complete group"), error);
    }

    private static double number(Map<String, Object> values, String key) {
        return ((Number) values.get(key)).doubleValue();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
