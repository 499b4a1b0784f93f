package dev.rlhf.core.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.jobs.Cancellation;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.ppo.PpoConfig.GenerationSettings;
import dev.rlhf.core.reward.RewardInput;
import dev.rlhf.core.tokenizer.ChatLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A rollout worker's recipe for a batch of prompts:
 *
 * <ol>
 *   <li>each prompt becomes a user turn of the policy's chat template with its generation prompt, the content cut to
 *       its last {@code maxPromptTokens} tokens ({@link ChatLayout#prompt});
 *   <li>the policy samples a response (KV cache), ending at the template's end-of-turn token, an EOS id or the token
 *       budget;
 *   <li>the policy's log-probs of the response tokens (the PPO "old" log-probs);
 *   <li>the reference model's log-probs of the same tokens, from the {@link Scorer}, and the reward of each of the
 *       job's sources ({@link RolloutRewards}); the reward model reads the prompt and the answer in its own layout
 *       (the rollout's ids when it shares the policy's tokenizer and template, else the texts rendered with its
 *       template); a batch whose reference log-probs or rewards fail (a scoring server down) comes back as failed
 *       prompts naming why, and the worker goes on.
 * </ol>
 *
 * The batch comes with the seconds spent on steps 1-3 (generation) and step 4 (scoring).
 */
public final class RolloutMaker {

    private final ChatLayout policyLayout;
    private final ChatLayout rewardModelLayout;
    private final Scorer scorer;
    private final Optional<RolloutRewards> rewards;
    private final GenerationSettings generation;
    private final ChatPrompt chat;

    /**
     * @param policy the policy's tokenizer and chat template
     * @param rewardModel the reward model's: when it is the policy's ({@link ChatLayout#sameAs}) the rollout's ids go
     *     to it as they are, else the prompt and the answer text are rendered with its own template
     * @param scorer the reference model's log-probs
     * @param rewards the job's reward sources
     */
    public RolloutMaker(
            ChatLayout policy,
            ChatLayout rewardModel,
            Scorer scorer,
            RolloutRewards rewards,
            GenerationSettings generation,
            int maxPromptTokens) {
        this(policy, rewardModel, scorer, Optional.of(rewards), generation, maxPromptTokens);
    }

    /**
     * Answers without rewards, for an evaluation whose judges score them afterwards: each rollout's {@code rewards}
     * is empty.
     */
    public RolloutMaker(ChatLayout policy, Scorer scorer, GenerationSettings generation, int maxPromptTokens) {
        this(policy, policy, scorer, Optional.empty(), generation, maxPromptTokens);
    }

    private RolloutMaker(
            ChatLayout policy,
            ChatLayout rewardModel,
            Scorer scorer,
            Optional<RolloutRewards> rewards,
            GenerationSettings generation,
            int maxPromptTokens) {
        this.policyLayout = policy;
        this.rewardModelLayout = policy.sameAs(rewardModel) ? policy : rewardModel;
        this.scorer = scorer;
        this.rewards = rewards;
        this.generation = generation;
        this.chat = new ChatPrompt(policy, maxPromptTokens);
    }

    /** Rollouts of {@code tasks} with {@code policy} at {@code version}; sampling seeded by {@code seed}. */
    public RolloutBatch make(LanguageModel policy, long version, List<PromptTask> tasks, long seed) {
        try (NoGrad noGrad = NoGrad.open()) {
            return rollouts(policy, version, tasks, seed);
        }
    }

    private RolloutBatch rollouts(LanguageModel policy, long version, List<PromptTask> tasks, long seed) {
        long start = System.nanoTime();
        List<ChatLayout.Prompt> prompts =
                tasks.stream().map(t -> chat.input(t.prompt().text())).toList();
        List<long[]> inputs = prompts.stream().map(ChatLayout.Prompt::ids).toList();
        SamplingConfig sampling = new SamplingConfig(
                generation.maxNewTokens(),
                generation.temperature(),
                generation.topK(),
                generation.topP(),
                seed,
                chat.stopTokens(),
                List.of(),
                true);
        List<Generation> generated = new Generator(policy, null).generate(inputs, sampling);

        List<Rollout> partial = new ArrayList<>();
        List<long[]> sequences = new ArrayList<>();
        List<RolloutRewards.Item> items = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            long[] response = generated.get(i).tokens();
            float[] none = new float[response.length];
            partial.add(new Rollout(
                    tasks.get(i).iteration(),
                    tasks.get(i).index(),
                    version,
                    inputs.get(i),
                    response,
                    none,
                    none,
                    new float[0]));
            sequences.add(concat(inputs.get(i), response));
            String answer = policyLayout.tokenizer().decode(chat.withoutEnd(response), true);
            Prompt prompt = tasks.get(i).prompt();
            long[] rewardModelInput = rewardModelLayout == policyLayout
                    ? policyLayout.reply(inputs.get(i), response)
                    : rewardModelLayout.reply(prompts.get(i).user(), answer);
            items.add(
                    new RolloutRewards.Item(rewardModelInput, new RewardInput(prompt.text(), answer, prompt.answer())));
        }
        float[][] old = oldLogprobs(policy, partial);
        long sampled = System.nanoTime();
        List<float[]> reference;
        try {
            reference = scorer.referenceLogprobs(sequences);
        } catch (RuntimeException e) {
            if (Cancellation.isCancellation(e)) {
                throw e;
            }
            // the reference server is down or slow: the batch fails as a reward source's would, the worker lives on
            return failed(tasks, version, "reference log-probs: " + e.getMessage(), start, sampled);
        }
        RolloutRewards.Result scores = rewards.map(r -> r.score(items))
                .orElseGet(() -> new RolloutRewards.Result(new float[tasks.size()][0], Optional.empty()));
        if (scores.failure().isPresent()) {
            return failed(tasks, version, scores.failure().get(), start, sampled);
        }
        long scored = System.nanoTime();
        List<Rollout> out = new ArrayList<>();
        for (int i = 0; i < partial.size(); i++) {
            Rollout r = partial.get(i);
            int p = r.promptIds().length;
            float[] ref = Arrays.copyOfRange(reference.get(i), p - 1, p - 1 + r.responseLength());
            out.add(new Rollout(
                    r.iteration(),
                    r.index(),
                    version,
                    r.promptIds(),
                    r.responseIds(),
                    Arrays.copyOf(old[i], r.responseLength()),
                    ref,
                    scores.rewards()[i]));
        }
        return new RolloutBatch(out, List.of(), (sampled - start) / 1e9, (scored - sampled) / 1e9);
    }

    private static float[][] oldLogprobs(LanguageModel policy, List<Rollout> rollouts) {
        try (NDManager m = policy.manager().newSubManager()) {
            RolloutTensors batch = RolloutTensors.of(m, rollouts);
            NDArray logp = PolicyScores.logprobs(policy.block(), policy.inferenceStore(), batch, false);
            int t = batch.responseLength();
            float[] flat = logp.toFloatArray();
            float[][] out = new float[rollouts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = Arrays.copyOfRange(flat, i * t, (i + 1) * t);
            }
            return out;
        }
    }

    private static long[] concat(long[]... pieces) {
        long[] out = new long[Arrays.stream(pieces).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (long[] piece : pieces) {
            System.arraycopy(piece, 0, out, at, piece.length);
            at += piece.length;
        }
        return out;
    }

    /** Every prompt of the batch failed for {@code reason}: the learner drops their groups and counts them. */
    private static RolloutBatch failed(List<PromptTask> tasks, long version, String reason, long start, long sampled) {
        List<RolloutBatch.Failed> failed = tasks.stream()
                .map(t -> new RolloutBatch.Failed(t.iteration(), t.index(), version, reason))
                .toList();
        return new RolloutBatch(List.of(), failed, (sampled - start) / 1e9, (System.nanoTime() - sampled) / 1e9);
    }
}
