package dev.rlhf.core.eval;

import java.util.List;

/**
 * How often two judges decided the same prompts alike, over the prompts where both gave a valid verdict (win, tie or
 * loss): the observed agreement {@code p_o} and Cohen's kappa, which discounts the agreement their marginal rates would
 * give by chance:
 *
 * <pre>
 *   p_o = (1/n) Σ_i [a_i = b_i],   p_e = Σ_c (n_a(c)/n)(n_b(c)/n),   κ = (p_o - p_e) / (1 - p_e)
 * </pre>
 *
 * κ is 1 when both judges always agree, 0 at chance level; NaN when {@code p_e = 1} (both always gave one same
 * verdict) or no prompt counts.
 *
 * @param prompts prompts where both verdicts were valid
 * @param agreement p_o
 * @param kappa Cohen's κ
 */
public record JudgeAgreement(int prompts, double agreement, double kappa) {

    /** The agreement of verdicts {@code a} and {@code b}, given for the same prompts in the same order. */
    public static JudgeAgreement of(List<Outcome> a, List<Outcome> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("verdicts for " + a.size() + " and " + b.size() + " prompts");
        }
        int classes = Outcome.values().length;
        int[] countA = new int[classes];
        int[] countB = new int[classes];
        int n = 0;
        int same = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) == Outcome.INVALID || b.get(i) == Outcome.INVALID) {
                continue;
            }
            n++;
            same += a.get(i) == b.get(i) ? 1 : 0;
            countA[a.get(i).ordinal()]++;
            countB[b.get(i).ordinal()]++;
        }
        if (n == 0) {
            return new JudgeAgreement(0, Double.NaN, Double.NaN);
        }
        double observed = (double) same / n;
        double chance = 0;
        for (int c = 0; c < classes; c++) {
            chance += ((double) countA[c] / n) * ((double) countB[c] / n);
        }
        double kappa = chance >= 1 ? Double.NaN : (observed - chance) / (1 - chance);
        return new JudgeAgreement(n, observed, kappa);
    }
}
