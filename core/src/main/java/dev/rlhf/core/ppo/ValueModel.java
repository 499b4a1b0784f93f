package dev.rlhf.core.ppo;

import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.LoraConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.PpoConfig.CriticStart;
import dev.rlhf.core.train.JobAdapter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * PPO's critic: a reward-model-shaped network (backbone + scalar head) whose per-token values GAE reads, and what its
 * optimizer trains. Where it starts is {@code policy.critic}: the reward model, or the starting policy's backbone with
 * a new head.
 *
 * <p>With a {@code lora} section the critic trains as LoRA too: adapters of the same settings on its backbone, plus its
 * {@code score} head (PEFT's {@code modules_to_save}), and a checkpoint's {@code critic/} holds that adapter in PEFT's
 * layout. Started from the policy, its backbone is another view of the policy's base ({@link PolicyLoader#sharing} in
 * a job), so a critic costs its adapters, their moments and its activations, not a second model and its 16 bytes per
 * parameter of training state.
 *
 * @param model the value network
 * @param adapter its adapters when it trains through them
 */
record ValueModel(RewardModel model, Optional<JobAdapter> adapter) implements AutoCloseable {

    /** A fresh critic, as {@code policy.critic} says. */
    static ValueModel start(PpoConfig config, PolicyLoader policy) {
        RewardModel model = config.policy().critic() == CriticStart.RM
                ? HfCheckpoint.loadRewardModel(config.policy().rewardModel().orElseThrow(), null)
                : backboneOfPolicy(config, policy);
        return withAdapter(config, model, Optional.empty());
    }

    /** The critic saved in {@code dir} (a checkpoint's {@code critic/}) by {@link #writeFiles}. */
    static ValueModel resume(PpoConfig config, PolicyLoader policy, Path dir) {
        if (config.lora().isEmpty()) {
            return new ValueModel(HfCheckpoint.loadRewardModel(dir, null), Optional.empty());
        }
        RewardModel model = config.policy().critic() == CriticStart.RM
                ? HfCheckpoint.loadRewardModel(config.policy().rewardModel().orElseThrow(), null)
                : backboneOfPolicy(config, policy);
        return withAdapter(config, model, Optional.of(dir));
    }

    /** What the critic's optimizer updates: every weight, or the adapters and the head. */
    Map<String, Parameter> trainableParameters() {
        return adapter.map(a -> a.lora().trainableParameters()).orElseGet(model::hfParameters);
    }

    /** A whole sequence-classification checkpoint, or the PEFT adapter (with its head) and the tokenizer. */
    void writeFiles(Path dir, Path tokenizerDir) throws IOException {
        if (adapter.isPresent()) {
            adapter.get().writeFiles(dir, tokenizerDir);
        } else {
            HfCheckpoint.writeFiles(model, dir, tokenizerDir, 0);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * The starting policy's backbone with a new head seeded by {@code seed} (a resumed adapter replaces it): with {@code lora}, a view of the base the
     * policy trains on ({@code policy.start()}); without, a whole copy of its own.
     */
    private static RewardModel backboneOfPolicy(PpoConfig config, PolicyLoader policy) {
        return config.lora().isPresent()
                ? RewardModel.withNewHead(policy.start(), config.seed())
                : StartingPolicy.loadAsCritic(config.policy(), config.seed());
    }

    private static ValueModel withAdapter(PpoConfig config, RewardModel model, Optional<Path> saved) {
        Optional<LoraConfig> lora = config.lora();
        if (lora.isEmpty()) {
            return new ValueModel(model, Optional.empty());
        }
        Path base = config.policy().critic() == CriticStart.RM
                ? config.policy().rewardModel().orElseThrow()
                : config.policy().path();
        try {
            return new ValueModel(model, Optional.of(JobAdapter.attach(model, lora, base, saved, config.seed())));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
