package dev.rlhf.core.eval;

import java.util.Locale;

/**
 * {@code eval.md}: the models' figures, each comparison's win / tie / loss rates with their 95% Wilson intervals per
 * judge and the judges' agreement, then a per-prompt table (both answers, each verdict) and the LLM judge's raw texts.
 */
final class EvalMarkdown {

    private EvalMarkdown() {}

    static String of(EvalReport report) {
        StringBuilder md = new StringBuilder("# Evaluation\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%d prompts; sampling: max_new_tokens %d, temperature %s, top_k %d, top_p %s, seed %d (every model)%s."
                        + " Intervals: %s.%n%n",
                report.prompts(),
                report.generation().maxNewTokens(),
                report.generation().temperature(),
                report.generation().topK(),
                report.generation().topP(),
                report.generation().seed(),
                report.judge() == null ? "" : "; LLM judge: " + report.judge(),
                EvalReport.INTERVAL));
        md.append(
                "| model | mean reward | mean KL to reference | mean answer length (chars) |\n|---|---:|---:|---:|\n");
        for (ModelSummary m : report.models()) {
            md.append("| ")
                    .append(m.name())
                    .append(" | ")
                    .append(number(m.meanReward()))
                    .append(" | ")
                    .append(number(m.meanKl()))
                    .append(" | ")
                    .append(number(m.meanChars()))
                    .append(" |\n");
        }
        for (Comparison c : report.comparisons()) {
            comparison(md, c);
        }
        return md.toString();
    }

    private static void comparison(StringBuilder md, Comparison c) {
        md.append("\n## ")
                .append(c.candidate())
                .append(" vs ")
                .append(c.baseline())
                .append("\n\n");
        md.append(
                "| judge | win | tie | loss | invalid | win rate [95% CI] | tie rate [95% CI] | loss rate [95% CI] |\n");
        md.append("|---|---:|---:|---:|---:|---|---|---|\n");
        if (c.rewardModel() != null) {
            rates(md, "reward model", c.rewardModel());
        }
        if (c.llm() != null) {
            rates(md, "LLM", c.llm());
            md.append(String.format(
                    Locale.ROOT,
                    "%nThe LLM judge saw each pair in both orders; on %d prompts the orders disagreed (position bias),"
                            + " counted as ties.%n",
                    c.llmInconsistent()));
        }
        if (c.agreement() != null) {
            md.append(String.format(
                    Locale.ROOT,
                    "%nJudges' agreement on %d prompts with two valid verdicts: %s (Cohen's kappa %s).%n",
                    c.agreement().prompts(),
                    number(c.agreement().agreement()),
                    number(c.agreement().kappa())));
        }
        md.append("\n| # | prompt | ")
                .append(c.baseline())
                .append(" | ")
                .append(c.candidate())
                .append(" | reward model | LLM (in order / swapped) |\n|---:|---|---|---|---|---|\n");
        for (int i = 0; i < c.prompts().size(); i++) {
            Comparison.PromptRow r = c.prompts().get(i);
            md.append("| ").append(i + 1).append(" | ").append(cell(r.prompt())).append(" | ");
            md.append(cell(r.baselineAnswer()))
                    .append(" | ")
                    .append(cell(r.candidateAnswer()))
                    .append(" | ");
            md.append(
                    r.rewardModel() == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%s (%.3f vs %.3f)",
                                    word(r.rewardModel()),
                                    r.candidateReward(),
                                    r.baselineReward()));
            md.append(" | ");
            md.append(
                    r.llm() == null
                            ? "-"
                            : word(r.llm().outcome()) + " (" + r.llm().inOrder() + " / "
                                    + r.llm().swapped() + ")");
            md.append(" |\n");
        }
        if (c.llm() != null) {
            md.append("\n### The LLM judge's texts\n");
            for (int i = 0; i < c.prompts().size(); i++) {
                LlmVerdict v = c.prompts().get(i).llm();
                md.append("\n")
                        .append(i + 1)
                        .append(". in order (A = ")
                        .append(c.baseline())
                        .append("): ");
                md.append(quote(v.rawInOrder()))
                        .append("\n   swapped (A = ")
                        .append(c.candidate())
                        .append("): ");
                md.append(quote(v.rawSwapped())).append("\n");
            }
        }
    }

    private static void rates(StringBuilder md, String judge, WinRate w) {
        md.append(String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d | %s | %s | %s |%n",
                judge,
                w.wins(),
                w.ties(),
                w.losses(),
                w.invalid(),
                rate(w.winRate(), w.winCi()),
                rate(w.tieRate(), w.tieCi()),
                rate(w.lossRate(), w.lossCi())));
    }

    private static String rate(double value, WilsonInterval ci) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", value, ci.low(), ci.high());
    }

    private static String word(Outcome o) {
        return switch (o) {
            case WIN -> "win";
            case TIE -> "tie";
            case LOSS -> "loss";
            case INVALID -> "invalid";
        };
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** Text in a table cell: one line, pipes escaped. */
    private static String cell(String text) {
        return text.replace("\\", "\\\\")
                .replace("|", "\\|")
                .replaceAll("\\s*\\R\\s*", " ")
                .strip();
    }

    private static String quote(String text) {
        return "`" + text.replace("`", "'").replaceAll("\\s*\\R\\s*", " ").strip() + "`";
    }
}
