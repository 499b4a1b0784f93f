package dev.rlhf.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        PpoConfig config = bind(BODY, "ppo.rollouts=32", "role=learner", "kl.adaptive=true");
        assertEquals(PpoConfig.PpoRole.LEARNER, config.role());
        assertEquals(Path.of("sft"), config.policy().path());
        assertEquals(32, config.ppo().rollouts());
        assertTrue(config.kl().adaptive());
        assertEquals("embedded", config.kafka().bootstrap());
        assertEquals("rm", config.scoring().rewardModel());
    }

    @Test
    void minibatchMustDivideRollouts() {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(BODY, "ppo.minibatch_size=5"));
        assertTrue(e.getMessage().contains("minibatch_size"), e.getMessage());
    }
}
