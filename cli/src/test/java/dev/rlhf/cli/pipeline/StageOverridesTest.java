package dev.rlhf.cli.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StageOverridesTest {

    @Test
    void stageJobKeysGoToTheirStageAndPipelineKeysStay() {
        StageOverrides split = StageOverrides.split(List.of(
                "exp=mine",
                "ppo.set=[ppo.iterations=3]",
                "ppo.algorithm=rloo",
                "ppo.kl.coef=0.1",
                "ppo.rewards=[{source: exact_match, weight: 1}]",
                "sft.train.lr=1e-3",
                "sft.configs=[tiny-llama]",
                "accuracy.max_new_tokens=8",
                "rm.train.epochs=2"));
        assertEquals(
                List.of(
                        "exp=mine",
                        "ppo.set=[ppo.iterations=3]",
                        "sft.configs=[tiny-llama]",
                        "accuracy.max_new_tokens=8"),
                split.pipeline());
        assertEquals(
                List.of("ppo.algorithm=rloo", "kl.coef=0.1", "rewards=[{source: exact_match, weight: 1}]"),
                split.forStage("ppo"),
                "a PPO-section key keeps its ppo. prefix, a top-level PPO job key loses it");
        assertEquals(List.of("train.lr=1e-3"), split.forStage("sft"));
        assertEquals(List.of("train.epochs=2"), split.forStage("rm"));
        assertEquals(List.of(), split.forStage("pretrain"));
    }
}
