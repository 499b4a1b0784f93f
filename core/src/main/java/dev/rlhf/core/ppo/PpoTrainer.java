package dev.rlhf.core.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.RewardStats;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.reward.RewardSources;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.train.AdamW;
import dev.rlhf.core.train.JobAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A PPO learner's models and update, assembled from a {@link PpoConfig} in one place: the policy and the critic
 * ({@code policy.*}), AdamW for each ({@code ppo.adam_*}, {@code ppo.weight_decay}), the KL controller ({@code kl.*}),
 * the reward shaping ({@code scoring.reward_clip}, {@code ppo.length_penalty} and the reward model's
 * {@link RewardStats}), and the {@link PpoUpdate} they make.
 *
 * <p>With a {@code lora} section the policy is the frozen {@code policy.path} plus LoRA adapters ({@link JobAdapter}):
 * only the adapters get gradients and AdamW moments, and {@code policy/} of a checkpoint, like each policy version
 * {@link #savePolicy} writes, holds the adapter in PEFT's layout instead of the whole model. The critic then trains as
 * LoRA too, on a view of the same base when it starts from the policy ({@link ValueModel}).
 *
 * <p>Its state is what a checkpoint directory holds: {@code policy/} (HF causal LM), {@code critic/} (HF
 * sequence-classification model; PPO only), the optimizers' moments, and {@code ppo_state.json} (the KL coefficient,
 * which the adaptive controller moves, and the resolved config, which {@code ResumeGuard} compares on resume). {@link #resume} from such a directory continues exactly where {@link #save} left off.
 */
public final class PpoTrainer implements AutoCloseable {

    /** The update's own state in a checkpoint: the KL controller's coefficient. */
    public static final String STATE_FILE = "ppo_state.json";

    private static final String POLICY = "policy";
    private static final String CRITIC = "critic";
    private static final String POLICY_OPTIMIZER = "policy_optimizer.safetensors";
    private static final String CRITIC_OPTIMIZER = "critic_optimizer.safetensors";

    private static final Logger LOG = Logger.getLogger(PpoTrainer.class.getName());

    private final PpoConfig config;
    private final LanguageModel policy;
    private final Optional<JobAdapter> adapter;
    private final ValueModel critic;
    private final AdamW policyOptimizer;
    private final AdamW criticOptimizer;
    private final KlController kl;
    private final PpoUpdate update;
    private final Path tokenizerDir;

    private PpoTrainer(
            PpoConfig config,
            LanguageModel policy,
            Optional<JobAdapter> adapter,
            ValueModel critic,
            Path tokenizerDir,
            KlController.State kl) {
        this.config = config;
        this.policy = policy;
        this.adapter = adapter;
        adapter.ifPresent(a -> LOG.info("policy: " + a.lora().describe()));
        if (critic != null) {
            critic.adapter().ifPresent(a -> LOG.info("critic: " + a.lora().describe()));
        }
        this.critic = critic;
        this.tokenizerDir = tokenizerDir;
        this.policyOptimizer = new AdamW(config.ppo().adam(), policy.manager());
        this.criticOptimizer = critic == null
                ? null
                : new AdamW(config.ppo().adam(), critic.model().languageModel().manager());
        this.kl = config.kl().controller(kl.coef());
        this.update = new PpoUpdate(
                policy,
                adapter.map(a -> a.lora().trainableParameters()).orElseGet(policy.block()::hfParameters),
                critic == null ? null : critic.model(),
                critic == null ? Map.of() : critic.trainableParameters(),
                policyOptimizer,
                criticOptimizer,
                this.kl,
                config.kl(),
                config.ppo(),
                shaping(config));
    }

    /**
     * A fresh learner: the policy from {@code policy.path} (and {@code policy.adapter}, see {@link StartingPolicy}), the
     * critic as {@code policy.critic} says (none for the critic-free algorithms: GRPO, RLOO, REINFORCE++).
     */
    public static PpoTrainer start(PpoConfig config) {
        return start(config, PolicyLoader.fromDisk(config));
    }

    /**
     * As {@link #start(PpoConfig)} with the policy's weights from {@code load}: with {@code lora}, a view of the base
     * the JVM already holds for its rollout workers ({@link PolicyLoader#sharing}), so the learner and the workers hold
     * one copy.
     */
    public static PpoTrainer start(PpoConfig config, PolicyLoader load) {
        LanguageModel policy = load.start();
        Optional<JobAdapter> adapter = adapter(config, policy, Optional.empty());
        ValueModel critic = config.ppo().algorithm().usesCritic() ? ValueModel.start(config, load) : null;
        return new PpoTrainer(
                config,
                policy,
                adapter,
                critic,
                config.policy().path(),
                new KlController.State(config.kl().coef()));
    }

    /** The learner saved in {@code checkpoint} by {@link #save}, with its optimizer moments and KL coefficient. */
    public static PpoTrainer resume(PpoConfig config, Path checkpoint) {
        return resume(config, checkpoint, PolicyLoader.fromDisk(config));
    }

    /** As {@link #resume(PpoConfig, Path)} with the policy's weights (LoRA: the base) from {@code load}. */
    public static PpoTrainer resume(PpoConfig config, Path checkpoint, PolicyLoader load) {
        boolean critic = config.ppo().algorithm().usesCritic();
        Path policyDir = checkpoint.resolve(POLICY);
        LanguageModel policy = load.resume(policyDir);
        PpoTrainer trainer = new PpoTrainer(
                config,
                policy,
                adapter(config, policy, Optional.of(policyDir)),
                critic ? ValueModel.resume(config, load, checkpoint.resolve(CRITIC)) : null,
                policyDir,
                readState(checkpoint));
        trainer.policyOptimizer.load(checkpoint.resolve(POLICY_OPTIMIZER));
        if (critic) {
            trainer.criticOptimizer.load(checkpoint.resolve(CRITIC_OPTIMIZER));
        }
        return trainer;
    }

    /** With a {@code lora} section, the adapters on {@code policy}: those saved in {@code saved}, else fresh ones. */
    private static Optional<JobAdapter> adapter(PpoConfig config, LanguageModel policy, Optional<Path> saved) {
        return config.lora()
                .map(lora ->
                        JobAdapter.attach(policy, config.lora(), config.policy().path(), saved, config.seed()));
    }

    /** The policy being trained (tests compare it with what was saved). */
    LanguageModel policy() {
        return policy;
    }

    /** The critic, or null for the critic-free algorithms (tests look into it). */
    ValueModel critic() {
        return critic;
    }

    /** The policy's LoRA adapters, when it trains through them. */
    public Optional<JobAdapter> adapter() {
        return adapter;
    }

    /** One PPO iteration on {@code rollouts} (see {@link PpoUpdate}); the KL controller moves on afterwards. */
    public PpoStats train(List<Rollout> rollouts, long seed) {
        return update.train(rollouts, seed, 0);
    }

    /** As {@link #train(List, long)} for the policy at {@code version}, correcting for older rollouts. */
    public PpoStats train(List<Rollout> rollouts, long seed, long version) {
        return update.train(rollouts, seed, version);
    }

    /** The KL coefficient the next iteration will use. */
    public double klCoef() {
        return kl.coef();
    }

    /** Writes the learner's state into {@code dir} (made atomic by the caller, who may add files of its own). */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir.resolve(POLICY));
        if (adapter.isPresent()) {
            adapter.get().writeFiles(dir.resolve(POLICY), tokenizerDir);
        } else {
            HfCheckpoint.writeFiles(policy, dir.resolve(POLICY), tokenizerDir);
        }
        policyOptimizer.save(dir.resolve(POLICY_OPTIMIZER));
        if (critic != null) {
            Files.createDirectories(dir.resolve(CRITIC));
            critic.writeFiles(dir.resolve(CRITIC), tokenizerDir);
            criticOptimizer.save(dir.resolve(CRITIC_OPTIMIZER));
        }
        ObjectMapper json = new ObjectMapper();
        Files.writeString(
                dir.resolve(STATE_FILE),
                json.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json.createObjectNode()
                                .put("kl_coef", kl.state().coef())));
    }

    /**
     * Writes the policy alone, what rollout workers load: an HF checkpoint, or with {@code lora} the adapter alone
     * (PEFT's two files; the workers hold the base already).
     */
    public void savePolicy(Path dir) {
        if (adapter.isPresent()) {
            adapter.get().save(dir);
        } else {
            HfCheckpoint.save(policy, dir, tokenizerDir);
        }
    }

    private static KlController.State readState(Path checkpoint) {
        Path file = checkpoint.resolve(STATE_FILE);
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile());
            if (!node.path("kl_coef").isNumber()) {
                throw CheckpointException.at(file, "kl_coef: expected a number");
            }
            return new KlController.State(node.get("kl_coef").asDouble());
        } catch (IOException e) {
            throw CheckpointException.io(file, "read", e);
        } catch (IllegalArgumentException e) {
            throw CheckpointException.at(file, e.getMessage());
        }
    }

    /**
     * The reward sources' weights; the reward model's score normalised by its stats (mean 0, std 1 when it has none)
     * and clipped; the length penalty.
     */
    static RewardShaping.Settings shaping(PpoConfig config) {
        RewardSources sources = config.rewardSources();
        RewardStats stats = sources.usesRewardModel()
                ? RewardStats.read(config.policy().rewardModel().orElseThrow()).orElse(new RewardStats(0, 1, 0))
                : new RewardStats(0, 1, 0);
        return new RewardShaping.Settings(
                stats.mean(),
                stats.divisor(),
                config.scoring().rewardClip(),
                config.ppo().lengthPenalty(),
                sources.weights(),
                sources.rewardModelIndex().orElse(-1));
    }

    @Override
    public void close() {
        policyOptimizer.close();
        policy.close();
        if (critic != null) {
            criticOptimizer.close();
            critic.close();
        }
    }
}
