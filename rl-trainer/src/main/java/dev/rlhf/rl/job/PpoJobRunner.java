package dev.rlhf.rl.job;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.InputChecks;
import dev.rlhf.core.jobs.ConfiguredJobRunner;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.ppo.PpoTrainer;
import dev.rlhf.core.ppo.StartingPolicy;
import dev.rlhf.core.rollout.PromptPool;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import dev.rlhf.core.train.ResumeGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * PPO jobs: checks that the policy, the reward model and the prompts exist and that the roles fit the Kafka setting;
 * {@link PpoJob} runs the roles.
 */
public final class PpoJobRunner extends ConfiguredJobRunner<PpoConfig> {

    private final Path gatewayJar;

    /**
     * @param configDirs where named configs are looked up (configs/ppo)
     * @param gatewayJar the inference gateway's runnable jar, for {@code scoring.endpoint: embedded}
     */
    public PpoJobRunner(List<Path> configDirs, Path gatewayJar) {
        super(configDirs, PpoConfig.class, PpoConfig.loader());
        this.gatewayJar = gatewayJar;
    }

    @Override
    protected void check(PpoConfig config) {
        requireDirectory(config.policy().path(), "policy.path");
        InputChecks.chatTemplate(config.policy().path(), "policy.path");
        StartingPolicy.check(config.policy());
        if (config.policy().rewardModel().isPresent()) {
            requireDirectory(config.policy().rewardModel().get(), "policy.reward_model");
            InputChecks.chatTemplate(config.policy().rewardModel().get(), "policy.reward_model");
            requireCriticReadsThePolicysIds(config);
        }
        if (config.role() != PpoConfig.PpoRole.WORKER) {
            if (!Files.isRegularFile(config.prompts().path())) {
                throw new ConfigException(
                        "prompts.path: no such file: " + config.prompts().path());
            }
            Optional<String> needsAnswers = config.rewardSources().firstNeedingAnswer();
            if (needsAnswers.isPresent()) {
                try {
                    PromptPool.read(config.prompts().path(), config.prompts().size())
                            .requireAnswers(needsAnswers.get());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            }
        }
        if (config.kafka().bootstrap().equals("embedded") && config.role() != PpoConfig.PpoRole.ALL) {
            throw new ConfigException("kafka.bootstrap: 'embedded' needs role all (a learner and workers in separate "
                    + "processes must share a real broker)");
        }
    }

    @Override
    protected PreparedJob job(PpoConfig config, ComposedConfig composed, RunDirectory run) {
        ResumeGuard.check(config.run().resume(), run, config, PpoTrainer.STATE_FILE);
        return new PpoJob(config, composed, run, gatewayJar);
    }

    /**
     * A value model started from the reward model reads the policy's token ids, so the two must share a tokenizer (the
     * reward itself is re-rendered in the reward model's own layout; the critic's values are per policy token).
     */
    private static void requireCriticReadsThePolicysIds(PpoConfig config) {
        if (!config.ppo().algorithm().usesCritic() || config.policy().critic() != PpoConfig.CriticStart.RM) {
            return;
        }
        Path policy = config.policy().path().resolve(TokenizerJsonWriter.TOKENIZER_JSON);
        Path rewardModel = config.policy().rewardModel().get().resolve(TokenizerJsonWriter.TOKENIZER_JSON);
        try {
            if (Files.mismatch(policy, rewardModel) != -1) {
                throw new ConfigException("policy.critic: rm starts the value model from the reward model, whose "
                        + rewardModel + " differs from the policy's " + policy
                        + "; the value model must read the policy's token ids: set policy.critic: policy");
            }
        } catch (IOException e) {
            throw new ConfigException("policy.critic: cannot compare the tokenizers: " + e.getMessage(), e);
        }
    }

    private static void requireDirectory(Path path, String key) {
        if (path == null || !Files.isDirectory(path)) {
            throw new ConfigException(key + ": no such model directory: " + path);
        }
    }
}
