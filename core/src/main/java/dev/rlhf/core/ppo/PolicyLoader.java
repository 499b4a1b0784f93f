package dev.rlhf.core.ppo;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import java.nio.file.Path;

/**
 * Where a PPO learner gets its policy's weights. A whole-model policy starts from {@link StartingPolicy} and resumes
 * from the weights a checkpoint's {@code policy/} holds; a LoRA policy's weights are the frozen base either way (the
 * trainer attaches or loads the adapters), which {@link #sharing} takes from a base this JVM already holds.
 */
public interface PolicyLoader {

    /** The policy the job starts from; with {@code lora}, the base the fresh adapters go on. */
    LanguageModel start();

    /** The policy saved in a checkpoint's {@code policyDir}; with {@code lora}, the base its adapter goes on. */
    LanguageModel resume(Path policyDir);

    /** Each load from disk. */
    static PolicyLoader fromDisk(PpoConfig config) {
        return new PolicyLoader() {
            @Override
            public LanguageModel start() {
                return StartingPolicy.load(config.policy());
            }

            @Override
            public LanguageModel resume(Path policyDir) {
                return config.lora().isPresent() ? start() : HfCheckpoint.load(policyDir);
            }
        };
    }

    /** Views of {@code base} ({@link LanguageModel#sharingWeights}): a LoRA policy on the base the workers hold. */
    static PolicyLoader sharing(LanguageModel base) {
        return new PolicyLoader() {
            @Override
            public LanguageModel start() {
                return LanguageModel.sharingWeights(base);
            }

            @Override
            public LanguageModel resume(Path policyDir) {
                return start();
            }
        };
    }
}
