package dev.rlhf.core.reward;

import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.rollout.ChatPrompt;
import dev.rlhf.core.rollout.Prompt;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Exact-match accuracy of a policy on prompts with reference answers: each prompt asked once with greedy decoding
 * (the policy's single most likely answer, so the figure does not depend on a sampling seed), the answer after the
 * marker compared with the reference ({@link Answers}). Held-out accuracy before and after RL is this, on the
 * held-out split.
 */
public final class AnswerAccuracy {

    /** One prompt's answer and whether it matched. */
    public record Graded(String prompt, String reference, String response, boolean correct) {}

    /** The fraction correct and each graded answer, in prompt order. */
    public record Result(double accuracy, List<Graded> graded) {

        public long correct() {
            return graded.stream().filter(Graded::correct).count();
        }
    }

    private AnswerAccuracy() {}

    /**
     * @param prompts each with an answer
     * @param batchSize prompts generated together
     * @throws IllegalArgumentException for a prompt without an answer
     */
    public static Result greedy(
            LanguageModel policy,
            Tokenizer tokenizer,
            List<Prompt> prompts,
            String marker,
            int maxNewTokens,
            int maxPromptTokens,
            int batchSize) {
        ChatPrompt chat = new ChatPrompt(tokenizer, maxPromptTokens);
        SamplingConfig greedy = SamplingConfig.greedy(maxNewTokens).withStopTokens(chat.stopTokens());
        Generator generator = new Generator(policy, null);
        List<Graded> graded = new ArrayList<>();
        try (NoGrad noGrad = NoGrad.open()) {
            for (int from = 0; from < prompts.size(); from += batchSize) {
                List<Prompt> batch = prompts.subList(from, Math.min(prompts.size(), from + batchSize));
                List<long[]> inputs = batch.stream()
                        .map(p -> chat.input(chat.content(p.text())))
                        .toList();
                List<Generation> answers = generator.generate(inputs, greedy);
                for (int i = 0; i < batch.size(); i++) {
                    Prompt prompt = batch.get(i);
                    String reference = prompt.answer()
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "accuracy needs a reference answer, and this prompt has none: " + prompt.text()));
                    String response =
                            tokenizer.decode(chat.withoutEnd(answers.get(i).tokens()), true);
                    Optional<String> answer = Answers.extract(response, marker);
                    boolean correct = answer.isPresent() && Answers.same(answer.get(), reference);
                    graded.add(new Graded(prompt.text(), reference, response, correct));
                }
            }
        }
        double accuracy = graded.stream().filter(Graded::correct).count() / (double) graded.size();
        return new Result(accuracy, graded);
    }
}
