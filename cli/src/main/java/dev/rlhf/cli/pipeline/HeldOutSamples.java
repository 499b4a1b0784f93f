package dev.rlhf.cli.pipeline;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.PpoConfig.GenerationSettings;
import dev.rlhf.core.rollout.LocalScorer;
import dev.rlhf.core.rollout.Prompt;
import dev.rlhf.core.rollout.PromptTask;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutMaker;
import dev.rlhf.core.rollout.RolloutRewards;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers to held-out prompts from one policy, scored the way PPO sees them: the reward model's raw score and the KL
 * of the answer to the reference model (the sum over its tokens of {@code log p_policy - log p_ref}). Run with the
 * SFT policy and then the PPO policy, on the same prompts and seed, it shows what PPO changed.
 */
record HeldOutSamples(List<Sample> samples, double meanReward, double meanKl) {

    /** One answer and its scores. */
    record Sample(String prompt, String response, double reward, double kl) {}

    /**
     * Samples {@code policyDir}'s answers to {@code prompts}, scored against {@code referenceDir} and the RM; the
     * reference directory itself (the policy before PPO) is loaded once and answers for itself.
     */
    static HeldOutSamples of(
            Path policyDir,
            Path referenceDir,
            Path rewardModelDir,
            List<Prompt> prompts,
            GenerationSettings generation,
            int maxPromptTokens,
            long seed) {
        try (LanguageModel reference = HfCheckpoint.load(referenceDir);
                RewardModel rm = HfCheckpoint.loadRewardModel(rewardModelDir, null);
                Tokenizer tokenizer = Tokenizer.load(referenceDir);
                RolloutRewards rewards =
                        RolloutRewards.rewardModel(new LocalScorer(reference, rm), Duration.ofMinutes(10))) {
            LocalScorer scorer = new LocalScorer(reference, rm);
            RolloutMaker maker = new RolloutMaker(tokenizer, scorer, rewards, generation, maxPromptTokens);
            if (policyDir.equals(referenceDir)) {
                return answers(maker, reference, tokenizer, prompts, seed);
            }
            try (LanguageModel policy = HfCheckpoint.load(policyDir)) {
                return answers(maker, policy, tokenizer, prompts, seed);
            }
        }
    }

    private static HeldOutSamples answers(
            RolloutMaker maker, LanguageModel policy, Tokenizer tokenizer, List<Prompt> prompts, long seed) {
        List<PromptTask> tasks = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            tasks.add(new PromptTask(0, i, prompts.get(i)));
        }
        List<Rollout> rollouts = maker.make(policy, 0, tasks, seed).rollouts();
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < rollouts.size(); i++) {
            Rollout r = rollouts.get(i);
            double kl = 0;
            for (int t = 0; t < r.responseLength(); t++) {
                kl += r.oldLogprobs()[t] - r.refLogprobs()[t];
            }
            samples.add(new Sample(prompts.get(i).text(), tokenizer.decode(r.responseIds()), r.rewards()[0], kl));
        }
        return new HeldOutSamples(
                samples,
                samples.stream().mapToDouble(Sample::reward).average().orElse(Double.NaN),
                samples.stream().mapToDouble(Sample::kl).average().orElse(Double.NaN));
    }
}
