package dev.rlhf.core.ppo;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.LoraModel.TaskType;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.ppo.PpoConfig.PolicySettings;
import dev.rlhf.core.train.JobAdapter;
import java.util.function.Consumer;

/**
 * The model a PPO job starts from: {@code policy.path}, with {@code policy.adapter} (an SFT LoRA adapter) folded into
 * its weights as it loads (PEFT's {@code merge_and_unload}). Every place that loads the starting weights goes through
 * here: the learner's policy, a LoRA policy's shared base (whose adapters-off forward is then the SFT model, the
 * reference InstructGPT's KL term asks for), the exported reference model, and a critic started from the policy.
 *
 * <p>Folding costs one {@code B A} product per targeted linear and no memory beyond the base; the adapter is not kept.
 */
public final class StartingPolicy {

    private StartingPolicy() {}

    /** {@code policy.adapter}, when given, is a causal-LM adapter; the error names the key (before anything loads). */
    public static void check(PolicySettings policy) {
        JobAdapter.check(policy.adapter(), "policy.adapter", TaskType.CAUSAL_LM);
    }

    /** The policy as it starts: {@code policy.path} plus {@code policy.adapter}, folded. */
    public static LanguageModel load(PolicySettings policy) {
        return folded(HfCheckpoint.load(policy.path()), lm -> fold(lm, policy));
    }

    /** A value model on the starting policy's backbone with a new head seeded by {@code seed}. */
    public static RewardModel loadAsCritic(PolicySettings policy, long seed) {
        return folded(HfCheckpoint.loadRewardModel(policy.path(), seed), rm -> fold(rm.languageModel(), policy));
    }

    private static void fold(LanguageModel lm, PolicySettings policy) {
        policy.adapter().ifPresent(dir -> PeftAdapter.load(lm, dir).mergeAndUnload());
    }

    private static <M extends AutoCloseable> M folded(M model, Consumer<M> fold) {
        try {
            fold.accept(model);
            return model;
        } catch (RuntimeException e) {
            try {
                model.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
