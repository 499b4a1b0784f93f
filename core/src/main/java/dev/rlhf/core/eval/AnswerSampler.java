package dev.rlhf.core.eval;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.ppo.PpoConfig.GenerationSettings;
import dev.rlhf.core.rollout.Prompt;
import dev.rlhf.core.rollout.PromptTask;
import dev.rlhf.core.rollout.Rollout;
import dev.rlhf.core.rollout.RolloutMaker;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every model's answers to the same prompts, sampled the way PPO samples rollouts ({@link RolloutMaker}: the prompt as
 * a user turn of the model's chat template, KV-cached sampling up to the end-of-turn token) with the same seed for
 * every model: batch {@code c} of {@code generation.batch_size} prompts samples with {@code seed + c}. With a reference
 * model, each answer's KL to it is measured on the way (the policy's and the reference's log-probs of its tokens).
 */
final class AnswerSampler {

    private final EvalConfig.Generation generation;
    private final int maxPromptTokens;

    AnswerSampler(EvalConfig.Generation generation, int maxPromptTokens) {
        this.generation = generation;
        this.maxPromptTokens = maxPromptTokens;
    }

    /** The answers of the model in {@code modelDir}, KL measured against {@code reference} when present. */
    List<Answer> answers(Path modelDir, List<String> prompts, Optional<LanguageModel> reference) {
        GenerationSettings settings = new GenerationSettings(
                generation.maxNewTokens(), generation.temperature(), generation.topK(), generation.topP());
        try (LanguageModel model = HfCheckpoint.load(modelDir);
                Tokenizer tokenizer = Tokenizer.load(modelDir)) {
            RolloutMaker maker = new RolloutMaker(
                    ChatLayout.of(tokenizer), new ReferenceScorer(reference), settings, maxPromptTokens);
            List<Answer> out = new ArrayList<>();
            for (int from = 0, chunk = 0; from < prompts.size(); from += generation.batchSize(), chunk++) {
                List<PromptTask> tasks = new ArrayList<>();
                for (int i = from; i < Math.min(from + generation.batchSize(), prompts.size()); i++) {
                    tasks.add(new PromptTask(0, i, Prompt.of(prompts.get(i))));
                }
                for (Rollout r :
                        maker.make(model, 0, tasks, generation.seed() + chunk).rollouts()) {
                    out.add(new Answer(tokenizer.decode(r.responseIds(), true).strip(), kl(r, reference.isPresent())));
                }
            }
            return out;
        }
    }

    private static double kl(Rollout r, boolean measured) {
        if (!measured) {
            return Double.NaN;
        }
        double sum = 0;
        for (int t = 0; t < r.responseLength(); t++) {
            sum += r.oldLogprobs()[t] - r.refLogprobs()[t];
        }
        return sum;
    }
}
