package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.rollout.PolicyScores;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutTensors;
import dev.rlhf.core.train.AdamW;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PPO moves a tiny policy towards what the reward asks for: here, emitting token 7. */
class PpoUpdateTest {

    private static final int TARGET = 7;

    /** Each estimator, with the KL in the reward or (GRPO's way) as a k3 term of the loss. */
    static Stream<Arguments> estimators() {
        return Stream.of(
                Arguments.of(PpoConfig.Algorithm.PPO, 1, Optional.empty()),
                Arguments.of(PpoConfig.Algorithm.GRPO, 4, Optional.of(KlPenalty.K3)),
                Arguments.of(PpoConfig.Algorithm.RLOO, 4, Optional.empty()),
                Arguments.of(PpoConfig.Algorithm.REINFORCE_PP, 1, Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("estimators")
    void theRewardRisesOverIterationsWhileKlStaysBounded(
            PpoConfig.Algorithm algorithm, int groupSize, Optional<KlPenalty> klInLoss) {
        LlamaConfig config = TestModels.tiny(20, 4, 2, true);
        PpoConfig.PpoSettings settings = new PpoConfig.PpoSettings(
                1,
                16,
                8,
                4,
                1e-3,
                1e-3,
                0.2,
                0.2,
                1.0,
                0.95,
                0.5,
                0.01,
                1.0,
                0.0,
                true,
                0.0,
                false,
                0.9,
                0.95,
                1e-8,
                0,
                algorithm,
                groupSize,
                true,
                LossAggregation.TOKEN_MEAN,
                2.0,
                300);
        AdamW.Settings adam = settings.adam();
        try (LanguageModel policy = LanguageModel.create(config, 1);
                LanguageModel reference = LanguageModel.create(config, 1);
                RewardModel critic =
                        algorithm.usesCritic() ? RewardModel.withNewHead(LanguageModel.create(config, 2), 3) : null;
                AdamW policyOptimizer = new AdamW(adam, policy.manager());
                AdamW criticOptimizer = critic == null
                        ? null
                        : new AdamW(adam, critic.languageModel().manager())) {
            PpoUpdate ppo = new PpoUpdate(
                    policy,
                    critic,
                    policyOptimizer,
                    criticOptimizer,
                    new FixedKlController(0.05),
                    new PpoConfig.KlSettings(0.05, Optional.empty(), klInLoss),
                    settings,
                    new RewardShaping.Settings(0, 1, 5, 0));
            List<Double> rewards = new ArrayList<>();
            double lastKl = 0;
            PpoStats stats = null;
            for (int iteration = 0; iteration < 20; iteration++) {
                List<Rollout> rollouts = rollouts(policy, reference, iteration, groupSize);
                stats = ppo.train(rollouts, iteration);
                rewards.add(stats.scoreMean());
                lastKl = stats.kl();
            }
            System.out.println(algorithm + " token reward per iteration: " + rewards);
            double start = (rewards.get(0) + rewards.get(1) + rewards.get(2)) / 3;
            double end = (rewards.get(17) + rewards.get(18) + rewards.get(19)) / 3;
            assertTrue(end > start + 0.1, algorithm + ": mean reward " + start + " -> " + end + ": " + rewards);
            assertTrue(Double.isFinite(lastKl) && lastKl < 20, "KL stays bounded: " + lastKl);
            assertEquals(algorithm.usesCritic(), Double.isFinite(stats.explainedVariance()), "a critic only for PPO");
            assertEquals(klInLoss.isEmpty(), stats.nonScoreReward() != 0, "the KL is in the reward or in the loss");
        }
    }

    /**
     * 16 rollouts of 8 sampled tokens, {@code groupSize} samples of each prompt in a row; the score is the share of
     * target tokens in the response.
     */
    private static List<Rollout> rollouts(LanguageModel policy, LanguageModel reference, int iteration, int groupSize) {
        List<long[]> prompts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int p = i / groupSize;
            prompts.add(new long[] {1 + p % 5, 2 + (p * 3) % 11});
        }
        SamplingConfig sampling = new SamplingConfig(8, 1.0, 0, 1.0, iteration, Set.of(), List.of(), true);
        List<Generation> out = new Generator(policy, null).generate(prompts, sampling);
        List<Rollout> partial = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            long[] response = out.get(i).tokens();
            float score =
                    (float) Arrays.stream(response).filter(t -> t == TARGET).count() / response.length;
            float[] zeros = new float[response.length];
            partial.add(
                    new Rollout(iteration, i, iteration, prompts.get(i), response, zeros, zeros, new float[] {score}));
        }
        try (NDManager m = policy.manager().newSubManager()) {
            RolloutTensors batch = RolloutTensors.of(m, partial);
            float[][] old = rows(PolicyScores.logprobs(policy.block(), policy.inferenceStore(), batch, false));
            float[][] ref = rows(PolicyScores.logprobs(reference.block(), reference.inferenceStore(), batch, false));
            List<Rollout> full = new ArrayList<>();
            for (int i = 0; i < partial.size(); i++) {
                Rollout r = partial.get(i);
                int n = r.responseLength();
                full.add(new Rollout(
                        r.iteration(),
                        r.index(),
                        r.policyVersion(),
                        r.promptIds(),
                        r.responseIds(),
                        Arrays.copyOf(old[i], n),
                        Arrays.copyOf(ref[i], n),
                        r.rewards()));
            }
            return full;
        }
    }

    private static float[][] rows(ai.djl.ndarray.NDArray x) {
        int b = (int) x.getShape().get(0);
        int t = (int) x.getShape().get(1);
        float[] flat = x.toFloatArray();
        float[][] out = new float[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(flat, i * t, (i + 1) * t);
        }
        return out;
    }
}
