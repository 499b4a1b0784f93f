package dev.rlhf.core.reward;

import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.rollout.ChatPrompt;
import dev.rlhf.core.rollout.Prompt;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Exact-match accuracy of a policy on prompts with reference answers, the answer after the marker compared with the
 * reference ({@link Answers}). Two ways of asking, both reported by the pipeline:
 *
 * <ul>
 *   <li>{@link Decoding#greedy()}: each prompt once, the policy's single most likely answer (no seed involved);
 *   <li>{@link Decoding#sampled}: pass@1 at a sampling temperature, averaged over k seeded samples per prompt (how
 *       RL papers report it, e.g. DeepSeek-R1's pass@1 over 64 samples at temperature 0.6): what the policy answers
 *       when it samples, as it does in RL. RL sharpens a policy's distribution, which shows here first.
 * </ul>
 */
public final class AnswerAccuracy {

    /**
     * How answers are drawn.
     *
     * @param temperature 0 for greedy
     * @param samples answers per prompt (1 for greedy)
     * @param seed seeds the sampler
     */
    public record Decoding(double temperature, int samples, long seed) {
        public Decoding {
            if (temperature < 0 || samples < 1 || (temperature == 0 && samples != 1)) {
                throw new IllegalArgumentException("decoding: temperature >= 0 and samples >= 1 (1 when greedy), got "
                        + temperature + " and " + samples);
            }
        }

        public static Decoding greedy() {
            return new Decoding(0, 1, 0);
        }

        public static Decoding sampled(double temperature, int samples, long seed) {
            return new Decoding(temperature, samples, seed);
        }
    }

    /** One answer and whether it matched. */
    public record Graded(String prompt, String reference, String response, boolean correct) {}

    /** The fraction of answers correct and each graded answer, in prompt order (a prompt's samples together). */
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
    public static Result measure(
            LanguageModel policy,
            Tokenizer tokenizer,
            List<Prompt> prompts,
            String marker,
            int maxNewTokens,
            int maxPromptTokens,
            int batchSize,
            Decoding decoding) {
        ChatPrompt chat = new ChatPrompt(ChatLayout.of(tokenizer), maxPromptTokens);
        Generator generator = new Generator(policy, null);
        List<Prompt> asked = new ArrayList<>();
        prompts.forEach(p -> asked.addAll(java.util.Collections.nCopies(decoding.samples(), p)));
        List<Graded> graded = new ArrayList<>();
        try (NoGrad noGrad = NoGrad.open()) {
            for (int from = 0; from < asked.size(); from += batchSize) {
                List<Prompt> batch = asked.subList(from, Math.min(asked.size(), from + batchSize));
                SamplingConfig sampling = new SamplingConfig(
                        maxNewTokens,
                        decoding.temperature(),
                        0,
                        1.0,
                        decoding.seed() * 1_000_003L + from,
                        chat.stopTokens(),
                        List.of(),
                        true);
                List<long[]> inputs =
                        batch.stream().map(p -> chat.input(p.text()).ids()).toList();
                List<Generation> answers = generator.generate(inputs, sampling);
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
