package dev.rlhf.core.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One judge's tally of a (baseline, candidate) comparison: wins, ties and losses of the candidate, their rates over the
 * valid verdicts (invalid ones excluded, and counted) and each rate's 95% Wilson interval ({@link WilsonInterval}).
 */
public record WinRate(
        int wins,
        int ties,
        int losses,
        int invalid,
        @JsonProperty("win_rate") double winRate,
        @JsonProperty("tie_rate") double tieRate,
        @JsonProperty("loss_rate") double lossRate,
        @JsonProperty("win_ci95") WilsonInterval winCi,
        @JsonProperty("tie_ci95") WilsonInterval tieCi,
        @JsonProperty("loss_ci95") WilsonInterval lossCi) {

    public static WinRate of(List<Outcome> outcomes) {
        int[] counts = new int[Outcome.values().length];
        outcomes.forEach(o -> counts[o.ordinal()]++);
        int wins = counts[Outcome.WIN.ordinal()];
        int ties = counts[Outcome.TIE.ordinal()];
        int losses = counts[Outcome.LOSS.ordinal()];
        int valid = wins + ties + losses;
        return new WinRate(
                wins,
                ties,
                losses,
                counts[Outcome.INVALID.ordinal()],
                rate(wins, valid),
                rate(ties, valid),
                rate(losses, valid),
                WilsonInterval.of95(wins, valid),
                WilsonInterval.of95(ties, valid),
                WilsonInterval.of95(losses, valid));
    }

    private static double rate(int k, int n) {
        return n == 0 ? Double.NaN : (double) k / n;
    }
}
