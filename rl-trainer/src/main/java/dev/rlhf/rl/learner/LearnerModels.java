package dev.rlhf.rl.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.AtomicDirectory;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.PpoConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.RewardShaping;
import dev.rlhf.core.train.AdamW;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the learner trains and saves: the policy, the critic and their optimizers, from the job's starting points or
 * from {@code checkpoints/last}. A checkpoint holds {@code policy/} (HF causal LM), {@code critic/} (HF
 * sequence-classification model), both optimizers' moments and {@link LearnerState}.
 */
final class LearnerModels implements AutoCloseable {

    private static final AdamW.Settings ADAM = new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0f);

    final LanguageModel policy;
    final RewardModel critic;
    final AdamW policyOptimizer;
    final AdamW criticOptimizer;
    private final Path tokenizerDir;

    private LearnerModels(LanguageModel policy, RewardModel critic, Path tokenizerDir) {
        this.policy = policy;
        this.critic = critic;
        this.tokenizerDir = tokenizerDir;
        this.policyOptimizer = new AdamW(ADAM, policy.manager());
        this.criticOptimizer = new AdamW(ADAM, critic.languageModel().manager());
    }

    static LearnerModels start(PpoConfig config) {
        Path policyDir = config.policy().path();
        LanguageModel policy = HfCheckpoint.load(policyDir);
        RewardModel critic = config.policy().critic().equals("rm")
                ? HfCheckpoint.loadRewardModel(config.policy().rewardModel(), null)
                : HfCheckpoint.loadRewardModel(policyDir, config.seed());
        return new LearnerModels(policy, critic, policyDir);
    }

    static LearnerModels resume(Path checkpoint) {
        LearnerModels models = new LearnerModels(
                HfCheckpoint.load(checkpoint.resolve("policy")),
                HfCheckpoint.loadRewardModel(checkpoint.resolve("critic"), null),
                checkpoint.resolve("policy"));
        models.policyOptimizer.load(checkpoint.resolve("policy_optimizer.safetensors"));
        models.criticOptimizer.load(checkpoint.resolve("critic_optimizer.safetensors"));
        return models;
    }

    /** Writes a checkpoint (atomically) with the given learner state. */
    void save(Path dir, LearnerState state) {
        AtomicDirectory.write(dir, tmp -> {
            Files.createDirectories(tmp.resolve("policy"));
            Files.createDirectories(tmp.resolve("critic"));
            HfCheckpoint.writeFiles(policy, tmp.resolve("policy"), tokenizerDir);
            HfCheckpoint.writeFiles(critic, tmp.resolve("critic"), tokenizerDir, 0);
            policyOptimizer.save(tmp.resolve("policy_optimizer.safetensors"));
            criticOptimizer.save(tmp.resolve("critic_optimizer.safetensors"));
            state.write(tmp);
        });
    }

    /** Writes the policy alone, the directory a policy version announcement points workers to. */
    void savePolicy(Path dir) {
        HfCheckpoint.save(policy, dir, tokenizerDir);
    }

    /** Reward normalisation from the RM's {@code reward_stats.json} (mean 0, std 1 when it has none). */
    static RewardShaping.Settings shaping(PpoConfig config) {
        double mean = 0;
        double std = 1;
        Path stats = config.policy().rewardModel().resolve("reward_stats.json");
        if (Files.isRegularFile(stats)) {
            try {
                JsonNode node = new ObjectMapper().readTree(stats.toFile());
                mean = node.path("mean").asDouble(0);
                std = Math.max(1e-6, node.path("std").asDouble(1));
            } catch (IOException e) {
                throw new IllegalArgumentException(stats + ": not valid JSON: " + e.getMessage(), e);
            }
        }
        return new RewardShaping.Settings(
                mean, std, config.scoring().rewardClip(), config.ppo().lengthPenalty());
    }

    @Override
    public void close() {
        policyOptimizer.close();
        criticOptimizer.close();
        policy.close();
        critic.close();
    }
}
