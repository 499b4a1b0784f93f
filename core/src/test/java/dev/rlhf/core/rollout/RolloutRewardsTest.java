package dev.rlhf.core.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.reward.RewardInput;
import dev.rlhf.core.reward.RewardSourceConfig;
import dev.rlhf.core.reward.RewardSourceConfig.Source;
import dev.rlhf.core.reward.RewardSources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutRewardsTest {

    private static final RewardSourceConfig EXACT = new RewardSourceConfig(
            Source.EXACT_MATCH,
            1.0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    /** Reference scores from a reward model whose answer takes {@code delayMs}: 10 per token of input. */
    private static Scorer rewardModel(long delayMs) {
        return new Scorer() {
            @Override
            public List<float[]> referenceLogprobs(List<long[]> sequences) {
                throw new UnsupportedOperationException();
            }

            @Override
            public float[] rewards(List<long[]> sequences) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                float[] out = new float[sequences.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = 10f * sequences.get(i).length;
                }
                return out;
            }
        };
    }

    private static final List<RolloutRewards.Item> ITEMS = List.of(
            new RolloutRewards.Item(new long[] {1, 2}, RewardInput.of("What is 2 + 2?", "2 + 2 = 4\nAnswer: 4", "4")),
            new RolloutRewards.Item(new long[] {1}, RewardInput.of("What is 3 + 3?", "Answer: 7", "6")));

    @Test
    void eachSourceGivesOneColumnInConfigOrder() {
        RewardSources sources = RewardSources.of(List.of(EXACT, RewardSourceConfig.rewardModel(0.5)));
        try (RolloutRewards rewards =
                new RolloutRewards(sources, sources.rules(t -> 0), rewardModel(0), Duration.ofSeconds(5))) {
            RolloutRewards.Result result = rewards.score(ITEMS);
            assertTrue(result.failure().isEmpty());
            assertArrayEquals(new float[] {1, 20}, result.rewards()[0]);
            assertArrayEquals(new float[] {0, 10}, result.rewards()[1]);
        }
    }

    @Test
    void aSourceSlowerThanItsTimeoutFailsTheBatchNamingIt() {
        RewardSources sources = RewardSources.of(List.of(EXACT, RewardSourceConfig.rewardModel(1.0)));
        try (RolloutRewards rewards =
                new RolloutRewards(sources, sources.rules(t -> 0), rewardModel(5_000), Duration.ofMillis(100))) {
            long start = System.nanoTime();
            RolloutRewards.Result result = rewards.score(ITEMS);
            assertTrue((System.nanoTime() - start) / 1e9 < 2, "the batch does not wait for the slow source");
            assertEquals(
                    "reward source reward_model timed out after 100 ms",
                    result.failure().orElseThrow());
        }
    }

    @Test
    void aFailingSourceFailsTheBatchWithItsReason() {
        RewardSources sources = RewardSources.of(List.of(EXACT));
        List<RolloutRewards.Item> noAnswer = List.of(new RolloutRewards.Item(
                new long[] {1}, new RewardInput("What is 1 + 1?", "Answer: 2", Optional.empty())));
        try (RolloutRewards rewards =
                new RolloutRewards(sources, sources.rules(t -> 0), rewardModel(0), Duration.ofSeconds(5))) {
            String failure = rewards.score(noAnswer).failure().orElseThrow();
            assertTrue(
                    failure.startsWith("reward source exact_match failed: exact_match needs the reference answer"),
                    failure);
        }
    }
}
