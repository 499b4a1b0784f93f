package dev.rlhf.core.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pairwise judge prompt: a template with {@code {question}}, {@code {answer_a}} and {@code {answer_b}}, filled in
 * one pass (an answer that itself contains {@code {answer_b}} stays as written). The built-in template follows the
 * pairwise set-up of MT-Bench (Zheng et al. 2023): an impartial comparison, told to ignore position and length, that
 * ends with a bracketed verdict ({@link Verdict}).
 */
public final class JudgePrompt {

    /** The built-in template. */
    public static final String DEFAULT = """
            You are judging two AI assistants' answers to the same user question. Decide which answer is more \
            helpful, correct, relevant and harmless. The order of the answers says nothing about their quality, and a \
            longer answer is not better for its length. Explain your reasoning in a few sentences, then give your \
            verdict on the last line, exactly one of: [[A]] if answer A is better, [[B]] if answer B is better, [[C]] \
            if they are equally good.

            [Question]
            {question}

            [Answer A]
            {answer_a}

            [Answer B]
            {answer_b}
            """;

    private static final Pattern SLOT = Pattern.compile("\\{(question|answer_a|answer_b)}");

    private final String template;

    private JudgePrompt(String template) {
        this.template = template;
    }

    /** The template in {@code file}, or the built-in one; a template missing a slot is refused naming the key. */
    public static JudgePrompt of(Optional<Path> file) {
        if (file.isEmpty()) {
            return new JudgePrompt(DEFAULT);
        }
        String text;
        try {
            text = Files.readString(file.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("judges.llm.template: cannot read " + file.get() + ": " + e);
        }
        for (String slot : new String[] {"{question}", "{answer_a}", "{answer_b}"}) {
            if (!text.contains(slot)) {
                throw new IllegalArgumentException("judges.llm.template: " + file.get() + " has no " + slot);
            }
        }
        return new JudgePrompt(text);
    }

    /** The prompt for one ordered pair of answers. */
    public String render(String question, String answerA, String answerB) {
        Map<String, String> values = Map.of("question", question, "answer_a", answerA, "answer_b", answerB);
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
