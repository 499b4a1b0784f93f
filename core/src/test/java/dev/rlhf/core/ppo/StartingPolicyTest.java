package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.rollout.AdapterOffReference;
import dev.rlhf.core.rollout.LocalScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PPO job started from an SFT LoRA adapter ({@code policy.adapter}): the policy, a LoRA policy's adapters-off
 * reference and a critic started from the policy are all the SFT model (base + adapter), not the base before SFT.
 */
class StartingPolicyTest {

    private static final long[][] IDS = {{3, 1, 4, 1, 5, 9, 2, 6}};

    @TempDir
    Path dir;

    private Path base;
    private Path sft;
    private float[] baseLogits;
    private float[] sftLogits;

    @BeforeEach
    void files() throws Exception {
        base = dir.resolve("base");
        sft = dir.resolve("sft-adapter");
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(2000, 4, 2, false), 7)) {
            HfCheckpoint.save(lm, base, Path.of("..", "configs", "tokenizer", "shakespeare-2k"));
            baseLogits = logits(lm);
            LoraModel adapter = LoraModel.attach(lm, LoraSettings.of(4, 8), 3);
            randomize(adapter, lm.manager());
            sftLogits = logits(lm);
            PeftAdapter.save(adapter, sft, base.toString());
        }
        assertTrue(TestModels.maxAbsDiff(baseLogits, sftLogits) > 1e-2, "the SFT adapter changes the model");
    }

    @Test
    void thePolicyIsTheBaseWithTheSftAdapterFoldedIn() {
        try (LanguageModel policy = StartingPolicy.load(settings(yaml("")))) {
            assertArrayEquals(sftLogits, logits(policy), 1e-4f);
            policy.block().hfParameters().forEach((name, p) -> assertTrue(p.requiresGradient(), name + " trains"));
        }
        try (LanguageModel plain = StartingPolicy.load(settings(yaml("").replace(", adapter: " + sft, "")))) {
            assertArrayEquals(baseLogits, logits(plain), 0f);
        }
    }

    @Test
    void aLoraPolicysReferenceIsTheSftModelNotTheBase() {
        PpoConfig config = config("lora: {r: 2, alpha: 4, init: true}");
        List<long[]> sequences = List.of(IDS[0]);
        try (PpoTrainer ppo = PpoTrainer.start(config);
                LanguageModel sftModel = StartingPolicy.load(config.policy())) {
            LoraModel lora = ppo.adapter().orElseThrow().lora();
            assertEquals(2, lora.settings().r(), "a fresh PPO adapter, not the SFT one continued");
            randomize(lora, ppo.policy().manager());
            float[] expected =
                    new LocalScorer(sftModel, null).referenceLogprobs(sequences).get(0);
            float[] policy = new LocalScorer(ppo.policy(), null)
                    .referenceLogprobs(sequences)
                    .get(0);
            float[] reference = new AdapterOffReference(ppo.policy(), lora, null)
                    .referenceLogprobs(sequences)
                    .get(0);
            assertTrue(TestModels.maxAbsDiff(expected, policy) > 1e-3, "the PPO adapter moved the policy");
            assertArrayEquals(expected, reference, 1e-4f);
        }
    }

    @Test
    void aCriticStartedFromThePolicyHasTheSftBackbone() {
        try (RewardModel critic = StartingPolicy.loadAsCritic(settings(yaml("")), 5);
                LanguageModel policy = StartingPolicy.load(settings(yaml("")))) {
            policy.block().hfParameters().forEach((name, p) -> {
                if (critic.languageModel().block().hfParameters().containsKey(name)) {
                    assertArrayEquals(
                            p.getArray().toFloatArray(),
                            critic.languageModel()
                                    .block()
                                    .hfParameters()
                                    .get(name)
                                    .getArray()
                                    .toFloatArray(),
                            0f,
                            name);
                }
            });
        }
    }

    @Test
    void anAdapterOfTheWrongKindOrMissingIsRefusedNamingTheKey() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ConfigException missing = assertThrows(
                ConfigException.class,
                () -> StartingPolicy.check(settings(yaml("").replace(sft.toString(), empty.toString()))));
        assertEquals("policy.adapter: no adapter_config.json in " + empty, missing.getMessage());

        Path rmAdapter = dir.resolve("rm-adapter");
        try (RewardModel rm = HfCheckpoint.loadRewardModel(base, 1L)) {
            PeftAdapter.save(LoraModel.attach(rm, LoraSettings.of(2, 4), 1), rmAdapter, base.toString());
        }
        ConfigException wrongKind = assertThrows(
                ConfigException.class,
                () -> StartingPolicy.check(settings(yaml("").replace(sft.toString(), rmAdapter.toString()))));
        assertTrue(wrongKind.getMessage().startsWith("policy.adapter: task_type SEQ_CLS"), wrongKind.getMessage());
    }

    private String yaml(String more) {
        return String.join(
                "\n",
                "policy: {path: " + base + ", adapter: " + sft + ", reward_model: " + dir.resolve("rm") + "}",
                "prompts: {path: " + dir.resolve("prompts.jsonl") + "}",
                "ppo: {rollouts: 4, minibatch_size: 2, algorithm: grpo, group_size: 2}",
                more);
    }

    private static PpoConfig.PolicySettings settings(String yaml) {
        return bind(yaml).policy();
    }

    private static PpoConfig bind(String config) {
        return PpoConfig.loader()
                .compose(List.of(), List.of(), config, "test", List.of())
                .bind(PpoConfig.class);
    }

    private PpoConfig config(String more) {
        return bind(yaml(more));
    }

    private static void randomize(LoraModel lora, NDManager manager) {
        try (NoGrad noGrad = NoGrad.open();
                NDManager m = manager.newSubManager()) {
            lora.adapterParameters().values().forEach(p -> {
                NDArray a = p.getArray();
                a.addi(m.randomNormal(0f, 0.3f, a.getShape(), DataType.FLOAT32));
            });
        }
    }

    private static float[] logits(LanguageModel lm) {
        try (NDManager m = lm.manager().newSubManager()) {
            NDArray ids = m.create(IDS);
            return lm.logits(ids, ids.onesLike()).toFloatArray();
        }
    }
}
