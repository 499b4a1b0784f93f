package dev.rlhf.rl.job;

import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.ppo.PolicyLoader;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.ppo.StartingPolicy;
import dev.rlhf.rl.worker.AdapterPolicy;
import dev.rlhf.rl.worker.FullPolicy;
import dev.rlhf.rl.worker.WorkerPolicy;
import java.util.Optional;

/**
 * Where the policy's weights live in this JVM. A LoRA policy's base is loaded once: the learner and every rollout
 * worker of the process sample and train on views of it ({@link LanguageModel#sharingWeights}), each with adapters
 * of its own, so {@code role: all} holds one copy of the base where it held one per worker plus the learner's. A
 * full-weights policy changes with every version, so each holder loads its own.
 *
 * <p>Close this after the learner and the workers: the views borrow the base's arrays.
 */
final class PolicyWeights implements AutoCloseable {

    private final PpoConfig config;
    private final Optional<LanguageModel> base;

    private PolicyWeights(PpoConfig config, Optional<LanguageModel> base) {
        this.config = config;
        this.base = base;
    }

    /** Loads the base now for a LoRA policy (with {@code policy.adapter} folded in); a full-weights policy, nothing. */
    static PolicyWeights of(PpoConfig config) {
        return new PolicyWeights(config, config.lora().map(lora -> StartingPolicy.load(config.policy())));
    }

    /** True when the learner and the workers share one base. */
    boolean shared() {
        return base.isPresent();
    }

    /** How the learner gets its policy: a view of the base, or its own load. */
    PolicyLoader forLearner() {
        return base.map(PolicyLoader::sharing).orElseGet(() -> PolicyLoader.fromDisk(config));
    }

    /** A worker's policy: the base's view with adapters of the job's settings, or whole checkpoints per version. */
    WorkerPolicy forWorker() {
        return base.<WorkerPolicy>map(b -> AdapterPolicy.on(
                        LanguageModel.sharingWeights(b),
                        config.lora().orElseThrow().settings()))
                .orElseGet(FullPolicy::new);
    }

    @Override
    public void close() {
        base.ifPresent(LanguageModel::close);
    }
}
