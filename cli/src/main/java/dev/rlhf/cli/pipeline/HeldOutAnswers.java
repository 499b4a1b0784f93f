package dev.rlhf.cli.pipeline;

import dev.rlhf.core.reward.AnswerAccuracy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code accuracy.md}: held-out exact-match accuracy before and after RL, and the first answers of each, graded, so a
 * reader sees what changed (same prompts, greedy answers).
 */
final class HeldOutAnswers {

    private HeldOutAnswers() {}

    static void write(Path file, AnswerAccuracy.Result before, AnswerAccuracy.Result after, int shown)
            throws IOException {
        StringBuilder md = new StringBuilder("# Held-out accuracy, before and after RL (greedy answers)\n\n");
        md.append(String.format(
                Locale.ROOT,
                "before: %d of %d correct (%.1f%%); after: %d of %d correct (%.1f%%)%n",
                before.correct(),
                before.graded().size(),
                100 * before.accuracy(),
                after.correct(),
                after.graded().size(),
                100 * after.accuracy()));
        for (int i = 0; i < Math.min(shown, before.graded().size()); i++) {
            AnswerAccuracy.Graded b = before.graded().get(i);
            AnswerAccuracy.Graded a = after.graded().get(i);
            md.append("\n## ")
                    .append(oneLine(b.prompt()))
                    .append(" (answer ")
                    .append(b.reference())
                    .append(")\n\n");
            md.append("- before ")
                    .append(mark(b))
                    .append(": ")
                    .append(oneLine(b.response()))
                    .append('\n');
            md.append("- after ")
                    .append(mark(a))
                    .append(": ")
                    .append(oneLine(a.response()))
                    .append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    private static String mark(AnswerAccuracy.Graded g) {
        return g.correct() ? "(correct)" : "(wrong)";
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').strip();
    }
}
