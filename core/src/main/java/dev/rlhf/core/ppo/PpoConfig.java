package dev.rlhf.core.ppo;

import dev.rlhf.core.config.ConfigEndpoint;
import dev.rlhf.core.config.ConfigLoader;
import dev.rlhf.core.config.ConfigValueException;
import dev.rlhf.core.config.EndpointValuedConfig;
import dev.rlhf.core.config.JobConfig;
import dev.rlhf.core.config.LoraConfig;
import dev.rlhf.core.config.RunHeader;
import dev.rlhf.core.config.Unwrapped;
import dev.rlhf.core.reward.RewardSourceConfig;
import dev.rlhf.core.reward.RewardSources;
import dev.rlhf.core.train.AdamW;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PPO job. Every knob, its default and its unit are documented in one place, {@code configs/ppo/defaults.yaml} on
 * the classpath (a test checks that each key there carries its comment); the records below say what the code does
 * with them. {@link PpoTrainer} builds the update from this record.
 *
 * @param role what this process runs: {@code all} (broker, scoring server, a worker and the learner in one JVM),
 *     {@code learner}, or {@code worker}
 * @param lora a section trains the policy as LoRA adapters on the frozen {@code policy.path} (see {@link
 *     LoraConfig}); absent: the whole policy trains
 */
public record PpoConfig(
        PpoRole role,
        PolicySettings policy,
        ScoringSettings scoring,
        List<RewardSourceConfig> rewards,
        PromptSettings prompts,
        GenerationSettings generation,
        PpoSettings ppo,
        KlSettings kl,
        KafkaSettings kafka,
        Optional<LoraConfig> lora,
        @Unwrapped RunHeader run,
        long seed)
        implements JobConfig, EndpointValuedConfig {

    /** The classpath resource holding every default. */
    public static final String DEFAULTS = "configs/ppo/defaults.yaml";

    /** The value of {@code scoring.endpoint} and {@code kafka.bootstrap} that starts the server in this JVM. */
    public static final String EMBEDDED = "embedded";

    public PpoConfig {
        ConfigValueException.require(
                !ppo.overlap() || kafka.maxStaleness() >= 1,
                "overlap",
                "needs kafka.max_staleness >= 1: overlapped rollouts are one policy version behind");
        RewardSources sources = RewardSources.of(rewards);
        ConfigValueException.require(
                !sources.usesRewardModel() || policy.rewardModel().isPresent(),
                "policy.reward_model",
                "rewards names reward_model, so give the reward model's directory");
        ConfigValueException.require(
                !ppo.algorithm().usesCritic()
                        || policy.critic() != CriticStart.RM
                        || policy.rewardModel().isPresent(),
                "policy.critic",
                "rm starts the value model from the reward model, and policy.reward_model is not given; use policy");
    }

    /** The reward sources in config order, with their metric names. */
    public RewardSources rewardSources() {
        return RewardSources.of(rewards);
    }

    /**
     * Whether the reference log-probs come from the rollout worker's own weights with the adapters off instead of an
     * exported reference model: with {@code lora} and embedded scoring (the base is the reference, and the worker
     * holds it already).
     */
    public boolean referenceIsAdapterOff() {
        return lora.isPresent() && scoring.endpoint().equals(EMBEDDED);
    }

    /** {@code scoring.endpoint} and each of {@code kafka.bootstrap}'s servers, unless {@code embedded}. */
    @Override
    public List<ConfigEndpoint> endpoints() {
        List<ConfigEndpoint> endpoints = new ArrayList<>();
        if (!scoring.endpoint().equals(EMBEDDED)) {
            endpoints.add(new ConfigEndpoint("scoring.endpoint", scoring.endpoint()));
        }
        if (!kafka.bootstrap().equals(EMBEDDED)) {
            String[] servers = kafka.bootstrap().split(",");
            for (int i = 0; i < servers.length; i++) {
                endpoints.add(new ConfigEndpoint(
                        servers.length == 1 ? "kafka.bootstrap" : "kafka.bootstrap[" + i + "]", servers[i].strip()));
            }
        }
        return endpoints;
    }

    public static ConfigLoader loader() {
        return new ConfigLoader(DEFAULTS);
    }

    /** How advantages are estimated. */
    public enum Algorithm {
        /** GAE over a learned value model (the critic); Ziegler et al., Stiennon et al. */
        PPO,
        /** Group-relative: each sample's score against the other samples of its prompt (Shao et al., 2024). */
        GRPO,
        /** REINFORCE leave-one-out: the mean score of the prompt's other samples as the baseline. */
        RLOO,
        /** REINFORCE++: per-token returns with the KL in the reward, normalised over the batch (Hu, 2025). */
        REINFORCE_PP;

        /** Whether it trains a value model. */
        public boolean usesCritic() {
            return this == PPO;
        }

        /** Whether its baseline comes from the other samples of the same prompt (needs group_size >= 2). */
        public boolean groupBaseline() {
            return this == GRPO || this == RLOO;
        }

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which processes a JVM runs. */
    public enum PpoRole {
        ALL,
        LEARNER,
        WORKER
    }

    /**
     * @param path the SFT checkpoint the policy starts from; also the frozen reference when scoring is embedded
     * @param adapter an SFT LoRA adapter (PEFT layout) trained on {@code path}: folded into it as it loads, so the
     *     policy, the reference and a critic started from the policy all start from the SFT model (see {@link
     *     StartingPolicy})
     * @param critic where the value model starts
     * @param rewardModel the reward model directory (an RM checkpoint with reward_stats.json); needed when the rewards
     *     name reward_model or the critic starts from it
     */
    public record PolicySettings(Path path, Optional<Path> adapter, CriticStart critic, Optional<Path> rewardModel) {}

    /** Where the value model (critic) starts. */
    public enum CriticStart {
        /** The reward model's weights and head. */
        RM,
        /** The policy's backbone with a new, seeded head. */
        POLICY
    }

    /**
     * @param endpoint host:port of a KServe v2 server (the gateway or Triton), or {@code embedded} to export the
     *     reward and reference models and serve them in-process
     * @param rewardModel v2 model name of the reward model
     * @param referenceModel v2 model name of the reference model (log-probs)
     * @param rewardClip normalised rewards are clipped to [-clip, clip]
     * @param deadlineMs per-call deadline; @param attempts tries per call before the job fails naming the endpoint
     * @param rewardTimeoutMs the most one reward source may take for a worker's batch; past it (or on its error) the
     *     batch's rollouts fail, are counted and named in the log, and their groups are dropped
     */
    public record ScoringSettings(
            String endpoint,
            String rewardModel,
            String referenceModel,
            double rewardClip,
            long deadlineMs,
            int attempts,
            long rewardTimeoutMs) {
        public ScoringSettings {
            ConfigValueException.require(attempts >= 1, "attempts", "must be >= 1");
            ConfigValueException.positive("reward_timeout_ms", rewardTimeoutMs);
            ConfigValueException.require(rewardClip > 0, "reward_clip", "must be positive");
        }
    }

    /** @param size prompts drawn from the file (0: all) */
    public record PromptSettings(Path path, int size, int maxPromptTokens) {}

    /** Sampling for rollouts. */
    public record GenerationSettings(int maxNewTokens, double temperature, int topK, double topP) {}

    /**
     * @param iterations PPO iterations (rollout batch, then optimisation)
     * @param rollouts rollouts per iteration
     * @param minibatchSize rollouts per gradient step
     * @param epochs passes over an iteration's rollouts
     * @param targetKlStop stop an iteration's epochs once approx KL exceeds this (0: never)
     * @param lengthPenalty subtracted from the score per response token (fights length hacking)
     * @param tisCap truncated importance sampling of stale rollouts: each token's loss is weighted by min(pi_learner /
     *     pi_behaviour, tisCap) when a batch holds rollouts from an older policy; 0 turns it off
     * @param groupTimeoutS how long the learner waits for an iteration's rollouts; groups still incomplete then are
     *     dropped and counted (the job fails only when no group is complete)
     * @param overlap publish iteration i+1's prompts before training on iteration i, so that workers generate while
     *     the learner trains; those rollouts come from the policy one version behind (needs max_staleness >= 1)
     */
    public record PpoSettings(
            int iterations,
            int rollouts,
            int minibatchSize,
            int epochs,
            double lr,
            double criticLr,
            double clipRange,
            double valueClip,
            double gamma,
            double lam,
            double vfCoef,
            double entropyCoef,
            double maxGradNorm,
            double targetKlStop,
            boolean whitenAdvantages,
            double lengthPenalty,
            boolean overlap,
            double adamBeta1,
            double adamBeta2,
            double adamEps,
            double weightDecay,
            Algorithm algorithm,
            int groupSize,
            boolean scaleRewards,
            LossAggregation lossAgg,
            double tisCap,
            long groupTimeoutS) {
        public PpoSettings {
            ConfigValueException.require(
                    groupSize >= 1 && rollouts % groupSize == 0,
                    "group_size",
                    "must be >= 1 and divide ppo.rollouts (" + rollouts + "), got " + groupSize);
            ConfigValueException.require(
                    !algorithm.groupBaseline() || groupSize >= 2,
                    "group_size",
                    "must be at least 2 for algorithm " + algorithm.configName()
                            + " (its baseline is the other samples of the same prompt), got " + groupSize);
            ConfigValueException.inRange("adam_beta1", adamBeta1, 0, 1);
            ConfigValueException.inRange("adam_beta2", adamBeta2, 0, 1);
            ConfigValueException.positive("adam_eps", adamEps);
            ConfigValueException.nonNegative("weight_decay", weightDecay);
            ConfigValueException.require(iterations >= 1, "iterations", "must be >= 1");
            ConfigValueException.require(
                    tisCap == 0 || (tisCap >= 1 && Double.isFinite(tisCap)),
                    "tis_cap",
                    "must be 0 (off) or a finite cap >= 1, got " + tisCap);
            ConfigValueException.positive("group_timeout_s", groupTimeoutS);
            ConfigValueException.require(
                    rollouts >= 1 && minibatchSize >= 1 && rollouts % minibatchSize == 0,
                    "minibatch_size",
                    "must divide ppo.rollouts (" + rollouts + ")");
        }

        /** AdamW's settings, the same for the policy and the critic. */
        public AdamW.Settings adam() {
            return new AdamW.Settings((float) adamBeta1, (float) adamBeta2, (float) adamEps, (float) weightDecay);
        }
    }

    /**
     * The KL penalty against the reference model: {@code coef} throughout, or, with an {@code adaptive} section,
     * starting at {@code coef} and steered towards a target ({@link AdaptiveKlController}). It is taken in the reward
     * (k1 per token, {@link RewardShaping}) unless {@code lossEstimator} names an estimator, in which case it is a
     * term of the loss instead (GRPO's way, {@link KlPenalty}).
     */
    public record KlSettings(double coef, Optional<AdaptiveKl> adaptive, Optional<KlPenalty> lossEstimator) {
        public KlSettings {
            ConfigValueException.nonNegative("coef", coef);
        }

        /** The controller this section describes, starting from {@code coef} (a fresh job) or a saved coefficient. */
        public KlController controller(double startCoef) {
            return adaptive.<KlController>map(a -> new AdaptiveKlController(startCoef, a.target(), a.horizon()))
                    .orElseGet(() -> new FixedKlController(startCoef));
        }
    }

    /** @param target KL per response in nats; @param horizon rollouts over which an error moves the coefficient */
    public record AdaptiveKl(double target, int horizon) {
        public AdaptiveKl {
            ConfigValueException.positive("target", target);
            ConfigValueException.positive("horizon", horizon);
        }
    }

    /**
     * @param bootstrap Kafka bootstrap servers, or {@code embedded} for an in-process broker
     * @param partitions partitions of the job's topics (bounds the number of useful workers)
     * @param maxStaleness rollouts generated more than this many policy versions ago are dropped
     * @param workers rollout workers started in this JVM (role all or worker)
     * @param connectTimeoutS how long a process waits for the broker to answer, and a worker for its job's topics
     * @param sessionTimeoutS how long a consumer (a worker, the learner) that dies without leaving its group keeps its
     *     partitions before the group hands them on
     */
    public record KafkaSettings(
            String bootstrap, int partitions, int maxStaleness, int workers, int connectTimeoutS, int sessionTimeoutS) {
        public KafkaSettings {
            ConfigValueException.positive("connect_timeout_s", connectTimeoutS);
            ConfigValueException.positive("session_timeout_s", sessionTimeoutS);
        }
    }
}
