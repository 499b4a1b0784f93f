package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.reward.RewardSources;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PpoConfigTest {

    private static final String BODY = "policy: {path: sft, reward_model: rm}\nprompts: {path: prompts.jsonl}\n";

    private static PpoConfig bind(String body, String... overrides) {
        return PpoConfig.loader()
                .compose(List.of(), List.of(), body, "body", List.of(overrides))
                .bind(PpoConfig.class);
    }

    @Test
    void defaultsBindAndOverridesApply() {
        PpoConfig config = bind(BODY, "ppo.rollouts=32", "role=learner", "kl.adaptive={target: 3, horizon: 500}");
        assertEquals(PpoConfig.PpoRole.LEARNER, config.role());
        assertEquals(Path.of("sft"), config.policy().path());
        assertEquals(32, config.ppo().rollouts());
        assertEquals(new PpoConfig.AdaptiveKl(3, 500), config.kl().adaptive().orElseThrow());
        assertEquals(PpoConfig.CriticStart.RM, config.policy().critic());
        assertEquals("embedded", config.kafka().bootstrap());
        assertEquals("rm", config.scoring().rewardModel());
    }

    @Test
    void klIsFixedUnlessAnAdaptiveSectionIsGiven() {
        PpoConfig fixed = bind(BODY);
        assertTrue(fixed.kl().adaptive().isEmpty());
        assertTrue(fixed.kl().controller(0.1) instanceof FixedKlController);
        KlController adaptive =
                bind(BODY, "kl.adaptive={target: 3, horizon: 500}").kl().controller(0.2);
        assertTrue(adaptive instanceof AdaptiveKlController);
        assertEquals(0.2, adaptive.coef());
        ConfigException missing = assertThrows(ConfigException.class, () -> bind(BODY, "kl.adaptive.target=3"));
        assertTrue(missing.getMessage().contains("kl.adaptive.horizon"), missing.getMessage());
    }

    @Test
    void groupBaselinesNeedGroupsThatDivideTheRollouts() {
        ConfigException single = assertThrows(ConfigException.class, () -> bind(BODY, "ppo.algorithm=grpo"));
        assertTrue(
                single.getMessage().contains("ppo.group_size: must be at least 2 for algorithm grpo"),
                single.getMessage());
        ConfigException uneven =
                assertThrows(ConfigException.class, () -> bind(BODY, "ppo.algorithm=rloo", "ppo.group_size=5"));
        assertTrue(
                uneven.getMessage().contains("ppo.group_size: must be >= 1 and divide ppo.rollouts"),
                uneven.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> bind(BODY, "ppo.algorithm=dpo"));
        assertTrue(unknown.getMessage().contains("ppo.algorithm"), unknown.getMessage());
        PpoConfig grpo = bind(BODY, "ppo.algorithm=grpo", "ppo.group_size=4", "kl.loss_estimator=k3");
        assertEquals(PpoConfig.Algorithm.GRPO, grpo.ppo().algorithm());
        assertEquals(KlPenalty.K3, grpo.kl().lossEstimator().orElseThrow());
    }

    @Test
    void rewardSourcesBindWithTheirOwnKeysAndNames() {
        PpoConfig config = bind("policy: {path: sft}\nprompts: {path: p.jsonl}\nppo: {algorithm: grpo, group_size: 4}\n"
                + "rewards:\n  - {source: exact_match, weight: 1.0}\n"
                + "  - {source: regex_format, weight: 0.1, pattern: 'Answer: \\d+'}\n"
                + "  - {source: exact_match, weight: 0.5, marker: '####'}\n");
        RewardSources sources = config.rewardSources();
        assertEquals(List.of("exact_match", "regex_format", "exact_match_1"), sources.names());
        assertTrue(sources.rewardModelIndex().isEmpty());
        assertEquals(1.1, sources.rawTotal(new float[] {1, 1, 0}), 1e-12);
        assertEquals("rewards.0 (exact_match)", sources.firstNeedingAnswer().orElseThrow());
        assertEquals(List.of("reward_model"), bind(BODY).rewardSources().names(), "the default: the reward model");
    }

    @Test
    void badRewardSourcesAreRefusedNamingTheKey() {
        String rules = "policy: {path: sft}\nprompts: {path: p.jsonl}\nppo: {algorithm: grpo, group_size: 4}\n";
        assertRefused(rules + "rewards: [{source: exact_answer, weight: 1}]", "rewards.0.source");
        assertRefused(
                rules + "rewards: [{source: exact_match, weight: 1, pattern: x}]",
                "rewards.0.pattern: belongs to regex_format");
        assertRefused(
                rules + "rewards: [{source: regex_format, weight: 1, pattern: '('}]", "rewards.0.pattern: not a valid");
        assertRefused(
                rules + "rewards: [{source: length_penalty, weight: 1, penalty: 0.1}]", "rewards.0.target_length");
        assertRefused(rules + "rewards: []", "rewards: needs at least one source");
        assertRefused(rules + "rewards: [{source: reward_model, weight: 1}]", "policy.reward_model");
        assertRefused(
                "policy: {path: sft}\nprompts: {path: p.jsonl}\nrewards: [{source: exact_match, weight: 1}]",
                "policy.critic");
        assertRefused(BODY + "ppo: {tis_cap: 0.5}", "ppo.tis_cap");
    }

    private static void assertRefused(String body, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(body));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void loraIsSftsSectionAndItsErrorsNameTheKey() {
        assertTrue(bind(BODY).lora().isEmpty(), "full fine-tuning unless a lora section is given");
        PpoConfig lora = bind(BODY, "lora={r: 8, alpha: 16, init: true}");
        assertEquals(
                dev.rlhf.core.lora.LoraSettings.of(8, 16),
                lora.lora().orElseThrow().settings());
        assertTrue(lora.referenceIsAdapterOff(), "embedded scoring: the reference is the base with the adapters off");
        assertTrue(!bind(BODY, "lora={r: 8, alpha: 16}", "scoring.endpoint=gw:8001")
                .referenceIsAdapterOff());
        for (String[] bad : new String[][] {
            {"lora={r: 0, alpha: 16}", "lora.r: must be at least 1"},
            {"lora={r: 8, alpha: 16, init: gaussian}", "lora.init: 'gaussian' is not supported"},
            {"lora={r: 8, alpha: 16, target_modules: [qkv_proj]}", "lora.target_modules: 'qkv_proj'"}
        }) {
            ConfigException e = assertThrows(ConfigException.class, () -> bind(BODY, bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void criticMustBeRmOrPolicy() {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(BODY, "policy.critic=value"));
        assertTrue(e.getMessage().contains("policy.critic"), e.getMessage());
    }

    @Test
    void everyDefaultKeyIsDocumentedWhereItIsSet() throws Exception {
        List<String> undocumented = new java.util.ArrayList<>();
        try (var in = PpoConfig.class.getClassLoader().getResourceAsStream(PpoConfig.DEFAULTS)) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.matches("\\s*[a-z_0-9]+:\\s*[^\\s#].*") && !line.contains("#")) {
                    undocumented.add(line.strip());
                }
            }
        }
        assertEquals(List.of(), undocumented, "every key in " + PpoConfig.DEFAULTS + " needs a comment");
    }

    @Test
    void minibatchMustDivideRollouts() {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(BODY, "ppo.minibatch_size=5"));
        assertTrue(e.getMessage().contains("minibatch_size"), e.getMessage());
    }
}
