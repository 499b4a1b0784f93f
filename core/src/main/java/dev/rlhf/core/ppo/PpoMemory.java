package dev.rlhf.core.ppo;

import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.ppo.PpoConfig.PpoRole;
import dev.rlhf.core.train.MemoryEstimate;
import java.util.Optional;

/**
 * The peak memory of a PPO job's process, estimated before it is queued ({@link MemoryEstimate} for the parts and
 * their formulas). T is a rollout's length: {@code prompts.max_prompt_tokens + generation.max_new_tokens} plus the
 * chat template's few tokens; N = {@code generation.max_new_tokens}, the response columns the LM head runs on. The
 * process holds, by role:
 *
 * <ul>
 *   <li>the learner ({@code all}, {@code learner}): the policy training on minibatches of {@code ppo.minibatch_size}
 *       rollouts (full fine-tuning, or only the adapters' gradients and moments with {@code lora}), activations over
 *       all T positions, and (B, N, V) arrays for the loss and the {@link Entropy} bonus; the critic training
 *       likewise for {@code ppo} (with {@code lora}, its adapters and head on the policy's base or the frozen reward
 *       model); one pass without gradients over the whole iteration's {@code ppo.rollouts} (the
 *       learner's own log-probs: the logits and their log-softmax, (R, N, V) each);
 *   <li>each of {@code kafka.workers} rollout workers ({@code all}, {@code worker}): its copy of the policy, the KV
 *       cache, and the (B, N, V) logits and their log-softmax of the old log-probs' pass over a batch of
 *       {@code ppo.minibatch_size} rollouts. With {@code lora} the base is held once per process, shared by the
 *       learner and the workers, and each worker adds only its adapters.
 * </ul>
 *
 * The reference and reward models are served by the gateway (a process of its own) and not counted here. Against the
 * measured peak of real iterations of the tiny model the estimate is 1.2-2.2x ({@code PpoMemoryTest}).
 */
public final class PpoMemory {

    /** The chat template's tokens around a prompt and a response (role headers, end-of-turn markers). */
    static final int TEMPLATE_TOKENS = 16;

    /** The loss's (B, N, V) arrays in the policy's graph: the logits, their log-softmax and its gradient. */
    static final int LOSS_ARRAYS = 3;

    /** The entropy's (B, N, V) arrays in the policy's graph: its log-softmax, their exp and the product. */
    static final int ENTROPY_ARRAYS = 3;

    private PpoMemory() {}

    /** The keys that size the estimate and what to lower, for a refusal. */
    public static final MemoryEstimate.Advice ADVICE = new MemoryEstimate.Advice(
            "ppo.minibatch_size, ppo.rollouts, prompts.max_prompt_tokens, generation.max_new_tokens",
            "lower ppo.minibatch_size (rows of each gradient step and worker batch) or the token budgets, or train"
                    + " LoRA adapters (a lora section)");

    /**
     * @param policy the policy's architecture ({@code policy.path}'s config.json)
     * @param critic the value model's architecture for {@code ppo}; empty for the critic-free algorithms
     */
    public static MemoryEstimate estimate(PpoConfig config, LlamaConfig policy, Optional<LlamaConfig> critic) {
        int length = config.prompts().maxPromptTokens() + config.generation().maxNewTokens() + TEMPLATE_TOKENS;
        int responses = config.generation().maxNewTokens();
        int minibatch = config.ppo().minibatchSize();
        MemoryEstimate total = new MemoryEstimate(0, 0, 0, 0, 0);
        if (config.role() != PpoRole.WORKER) {
            total = total.plus(config.lora()
                    .map(lora -> MemoryEstimate.adapterTraining(
                            policy, minibatch, length, false, lora.settings().parameterCount(policy)))
                    .orElseGet(() -> MemoryEstimate.training(policy, minibatch, length, false)));
            total = total.plus(logits((LOSS_ARRAYS + ENTROPY_ARRAYS) * responseLogits(policy, minibatch, responses)
                    + 2 * responseLogits(policy, config.ppo().rollouts(), responses)));
            if (critic.isPresent()) {
                total = total.plus(critic(config, critic.get(), minibatch, length));
            }
        }
        if (config.role() != PpoRole.LEARNER) {
            MemoryEstimate generator = MemoryEstimate.inference(policy, minibatch, length);
            long weights = generator.weights();
            if (config.lora().isPresent()) {
                weights = Float.BYTES * config.lora().get().settings().parameterCount(policy);
                if (config.role() == PpoRole.WORKER) {
                    total = total.plus(new MemoryEstimate(generator.weights(), 0, 0, 0, 0)); // the shared base, once
                }
            }
            // The KV cache of its batch, then the old log-probs' logits and their log-softmax.
            MemoryEstimate worker = new MemoryEstimate(
                    weights,
                    0,
                    generator.activations(),
                    generator.attention(),
                    2 * responseLogits(policy, minibatch, responses));
            for (int w = 0; w < config.kafka().workers(); w++) {
                total = total.plus(worker);
            }
        }
        return total;
    }

    /** Bytes of (rows, N, V) logits: the head runs on the N response columns only ({@code PolicyScores}). */
    private static long responseLogits(LlamaConfig policy, int rows, int responses) {
        return (long) Float.BYTES * rows * responses * policy.vocabSize();
    }

    /**
     * The critic in training: a whole model, or with {@code lora} its adapters and head beside frozen weights, which
     * are the policy's own base (counted once, with the policy) when it starts from the policy.
     */
    private static MemoryEstimate critic(PpoConfig config, LlamaConfig critic, int minibatch, int length) {
        if (config.lora().isEmpty()) {
            return MemoryEstimate.training(critic, minibatch, length, false);
        }
        long trainable = config.lora().get().settings().parameterCount(critic) + critic.hiddenSize();
        MemoryEstimate adapters = MemoryEstimate.adapterTraining(critic, minibatch, length, false, trainable);
        if (config.policy().critic() == PpoConfig.CriticStart.RM) {
            return adapters;
        }
        long sharedBase = MemoryEstimate.inference(critic, 1, 1).weights();
        return adapters.plus(new MemoryEstimate(-sharedBase, 0, 0, 0, 0));
    }

    private static MemoryEstimate logits(long bytes) {
        return new MemoryEstimate(0, 0, 0, 0, bytes);
    }
}
