package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.SafetensorsReader;
import dev.rlhf.core.lora.AdapterConfig;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.rollout.AdapterOffReference;
import dev.rlhf.core.rollout.LocalScorer;
import dev.rlhf.core.rollout.Rollout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PPO (here GRPO, no critic) on a LoRA policy: only the adapters move, checkpoints hold the adapter in PEFT's layout
 * and load back fresh with the trained policy's log-probs, and resume continues adapter and AdamW moments exactly.
 */
class PpoLoraTrainerTest {

    private static final long[][] PROMPTS = {{3, 1, 4}, {3, 1, 4}, {2, 7}, {2, 7}};
    private static final long[][] RESPONSES = {{5, 9}, {6, 6, 1}, {1, 8}, {8, 2}};
    private static final float[] SCORES = {1f, 0f, 0f, 1f};

    @TempDir
    Path dir;

    private PpoConfig config;

    @BeforeEach
    void files() throws Exception {
        Path base = dir.resolve("base");
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(2000, 4, 2, false), 7)) {
            HfCheckpoint.save(lm, base, Path.of("..", "configs", "tokenizer", "shakespeare-2k"));
        }
        Files.createDirectories(dir.resolve("rm")); // no reward_stats.json: scores are taken as they come
        config = PpoConfig.loader()
                .compose(
                        List.of(),
                        List.of(),
                        String.join(
                                "\n",
                                "policy: {path: " + base + ", reward_model: " + dir.resolve("rm") + "}",
                                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                                "ppo: {rollouts: 4, minibatch_size: 2, epochs: 2, lr: 0.01, algorithm: grpo,"
                                        + " group_size: 2}",
                                "lora: {r: 4, alpha: 8, target_modules: [q_proj, v_proj, down_proj], init: true}"),
                        "test",
                        List.of())
                .bind(PpoConfig.class);
    }

    @Test
    void onlyTheAdapterTrainsAndTheCheckpointLoadsBackWithTheSameLogprobs() throws Exception {
        Path checkpoint = dir.resolve("checkpoint");
        Path version = dir.resolve("version");
        float[][] trained;
        try (PpoTrainer ppo = PpoTrainer.start(config)) {
            Map<String, float[]> before = snapshot(ppo.policy());
            ppo.train(rollouts(ppo, 0), 1);
            Map<String, float[]> after = snapshot(ppo.policy());
            before.forEach((name, values) -> assertArrayEquals(values, after.get(name), name + " is frozen"));
            assertTrue(
                    ppo.adapter().orElseThrow().lora().adapterParameters().entrySet().stream()
                            .anyMatch(e -> e.getKey().contains("lora_B")
                                    && maxAbs(e.getValue().getArray().toFloatArray()) > 0),
                    "the adapters moved");
            trained = logprobs(ppo.policy());
            Files.createDirectories(checkpoint);
            ppo.save(checkpoint);
            ppo.savePolicy(version);
        }
        Path policy = checkpoint.resolve("policy");
        assertTrue(Files.isRegularFile(policy.resolve(AdapterConfig.FILE)));
        assertFalse(Files.exists(policy.resolve(HfCheckpoint.WEIGHTS)), "no copy of the base");
        assertEquals(
                new LoraSettings(4, 8, 0, List.of("q_proj", "v_proj", "down_proj"), false),
                PeftAdapter.readConfig(policy).settings());
        try (SafetensorsReader moments = SafetensorsReader.open(checkpoint.resolve("policy_optimizer.safetensors"))) {
            assertFalse(moments.tensors().isEmpty());
            assertTrue(
                    moments.tensors().keySet().stream().allMatch(n -> n.contains(".lora_")),
                    "AdamW state for the adapters alone: " + moments.tensors().keySet());
        }
        try (Stream<Path> files = Files.list(version)) {
            assertEquals(
                    List.of(AdapterConfig.FILE, PeftAdapter.WEIGHTS),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "a policy version is the adapter alone");
        }
        for (Path saved : List.of(policy, version)) {
            try (LanguageModel fresh = HfCheckpoint.load(config.policy().path())) {
                PeftAdapter.load(fresh, saved);
                float[][] loaded = logprobs(fresh);
                for (int i = 0; i < loaded.length; i++) {
                    assertArrayEquals(trained[i], loaded[i], 1e-6f, saved + " row " + i);
                }
            }
        }
    }

    @Test
    void resumeContinuesTheAdapterAndItsMoments() throws Exception {
        Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
        try (PpoTrainer straight = PpoTrainer.start(config)) {
            straight.train(rollouts(straight, 0), 1);
            straight.save(checkpoint);
            List<Rollout> next = rollouts(straight, 1);
            straight.train(next, 2);
            try (PpoTrainer resumed = PpoTrainer.resume(config, checkpoint)) {
                resumed.train(next, 2);
                float[][] expected = logprobs(straight.policy());
                float[][] actual = logprobs(resumed.policy());
                for (int i = 0; i < expected.length; i++) {
                    assertArrayEquals(expected[i], actual[i], 1e-6f, "row " + i);
                }
            }
        }
    }

    @Test
    void aLoraCriticTrainsItsAdapterAndHeadOnThePolicysBaseAndResumes() throws Exception {
        PpoConfig withCritic = PpoConfig.loader()
                .compose(
                        List.of(),
                        List.of(),
                        String.join(
                                "\n",
                                "policy: {path: " + config.policy().path() + ", critic: policy, reward_model: "
                                        + dir.resolve("rm") + "}",
                                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                                "ppo: {rollouts: 4, minibatch_size: 2, epochs: 2, lr: 0.01, critic_lr: 0.01,"
                                        + " algorithm: ppo}",
                                "lora: {r: 4, alpha: 8, init: true}"),
                        "test",
                        List.of())
                .bind(PpoConfig.class);
        Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
        float[] values;
        try (LanguageModel base = HfCheckpoint.load(withCritic.policy().path());
                PpoTrainer ppo = PpoTrainer.start(withCritic, PolicyLoader.sharing(base))) {
            ValueModel critic = ppo.critic();
            base.block()
                    .hfParameters()
                    .forEach((name, p) -> assertSame(
                            p.getArray(),
                            critic.model()
                                    .languageModel()
                                    .block()
                                    .hfParameters()
                                    .get(name)
                                    .getArray(),
                            name + ": one base for policy and critic"));
            assertTrue(
                    critic.trainableParameters().keySet().stream()
                            .allMatch(n -> n.contains(".lora_") || n.equals("base_model.model.score.weight")),
                    "the critic trains its adapters and head alone: "
                            + critic.trainableParameters().keySet());
            Map<String, float[]> before = snapshot(base);
            float[] headBefore = critic.model().head().weight().getArray().toFloatArray();
            ppo.train(rollouts(ppo, 0), 1);
            Map<String, float[]> after = snapshot(base);
            before.forEach((name, v) -> assertArrayEquals(v, after.get(name), name + " is frozen"));
            assertTrue(
                    maxAbs(difference(
                                    headBefore,
                                    critic.model().head().weight().getArray().toFloatArray()))
                            > 0,
                    "the value head trained");
            ppo.save(checkpoint);
            values = values(critic);
        }
        Path saved = checkpoint.resolve("critic");
        assertEquals(LoraModel.TaskType.SEQ_CLS, PeftAdapter.readConfig(saved).taskType());
        assertFalse(Files.exists(saved.resolve(HfCheckpoint.WEIGHTS)), "no copy of the base");
        try (SafetensorsReader moments = SafetensorsReader.open(checkpoint.resolve("critic_optimizer.safetensors"))) {
            assertTrue(
                    moments.tensors().keySet().stream().allMatch(n -> n.contains(".lora_") || n.contains("score")),
                    "AdamW state for the critic's adapters and head alone: "
                            + moments.tensors().keySet());
        }
        try (PpoTrainer resumed = PpoTrainer.resume(withCritic, checkpoint)) {
            assertArrayEquals(values, values(resumed.critic()), 1e-6f, "the resumed critic gives the same values");
        }
    }

    private static float[] values(ValueModel critic) {
        LanguageModel lm = critic.model().languageModel();
        try (NoGrad noGrad = NoGrad.open();
                NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.create(sequences().get(0)).expandDims(0);
            return critic.model()
                    .values(lm.inferenceStore(), ids, ids.onesLike(), false)
                    .toFloatArray();
        }
    }

    private static float[] difference(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /** The fixed rollouts, with the trainer's own old log-probs and its base (adapters off) as the reference. */
    private static List<Rollout> rollouts(PpoTrainer ppo, long iteration) {
        List<long[]> sequences = sequences();
        LanguageModel lm = ppo.policy();
        List<float[]> old = new LocalScorer(lm, null).referenceLogprobs(sequences);
        List<float[]> ref =
                new AdapterOffReference(lm, ppo.adapter().orElseThrow().lora(), null).referenceLogprobs(sequences);
        List<Rollout> out = new ArrayList<>();
        for (int i = 0; i < PROMPTS.length; i++) {
            int from = PROMPTS[i].length - 1;
            int to = from + RESPONSES[i].length;
            out.add(new Rollout(
                    iteration,
                    i,
                    iteration,
                    PROMPTS[i],
                    RESPONSES[i],
                    Arrays.copyOfRange(old.get(i), from, to),
                    Arrays.copyOfRange(ref.get(i), from, to),
                    new float[] {SCORES[i]}));
        }
        return out;
    }

    private static List<long[]> sequences() {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < PROMPTS.length; i++) {
            long[] s = Arrays.copyOf(PROMPTS[i], PROMPTS[i].length + RESPONSES[i].length);
            System.arraycopy(RESPONSES[i], 0, s, PROMPTS[i].length, RESPONSES[i].length);
            out.add(s);
        }
        return out;
    }

    private static float[][] logprobs(LanguageModel lm) {
        return new LocalScorer(lm, null).referenceLogprobs(sequences()).toArray(float[][]::new);
    }

    private static Map<String, float[]> snapshot(LanguageModel lm) {
        Map<String, float[]> out = new HashMap<>();
        lm.block()
                .hfParameters()
                .forEach((name, p) -> out.put(name, p.getArray().toFloatArray()));
        return out;
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
