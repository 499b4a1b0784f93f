package dev.rlhf.core.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The iteration's figures under TRL's names, the derived rewards by hand, and the minibatch means. */
class PpoStatsTest {

    private static final MinibatchStats A = new MinibatchStats(0.1, 2.0, 0.2, 0.0, 0.01, 1.0, 3.0, 4.0, 8.0);
    private static final MinibatchStats B = new MinibatchStats(0.3, 4.0, 0.4, 0.5, 0.03, 1.2, 2.0, 2.0, 6.0);

    @Test
    void minibatchFiguresAreAveragedFieldByField() {
        MinibatchStats mean = MinibatchStats.mean(List.of(A, B));
        assertEquals(0.2, mean.policyLoss(), 1e-12);
        assertEquals(3.0, mean.valueLoss(), 1e-12);
        assertEquals(0.3, mean.clipFrac(), 1e-12);
        assertEquals(0.25, mean.valueClipFrac(), 1e-12);
        assertEquals(0.02, mean.approxKl(), 1e-12);
        assertEquals(1.1, mean.ratioMean(), 1e-12);
        assertEquals(2.5, mean.entropy(), 1e-12);
        assertEquals(3.0, mean.policyGradNorm(), 1e-12);
        assertEquals(7.0, mean.criticGradNorm(), 1e-12);
        assertTrue(Double.isNaN(MinibatchStats.mean(List.of()).policyLoss()), "no applied step: NaN, not 0");
    }

    @Test
    void metricsCarryTrlNamesAndTheRewardDecomposition() {
        // kl 2.0 nats per response at coef 0.1: the KL part is -0.2; shaped score 0.5: the RLHF reward is 0.3
        PpoStats stats = new PpoStats(
                1.5,
                0.25,
                0.5,
                2.0,
                0.1,
                0.09,
                0.1,
                true,
                7.0,
                0.6,
                12.0,
                0.75,
                4,
                false,
                1,
                MinibatchStats.mean(List.of(A)),
                Optional.of(new PpoStats.OffPolicy(3, 0.9, 2.0, 5.5, 0.125)));
        Map<String, Object> m = stats.metrics();
        assertEquals(3, m.get("sampling/stale_rollouts"));
        assertEquals(0.9, m.get("sampling/importance_sampling_ratio/mean"));
        assertEquals(2.0, m.get("sampling/importance_sampling_ratio/max"));
        assertEquals(5.5, m.get("sampling/ratio_max_before_cap"));
        assertEquals(0.125, m.get("sampling/clipped_frac"));
        assertEquals(1.5, m.get("objective/scores"));
        assertEquals(-0.2, (double) m.get("objective/non_score_reward"), 1e-12);
        assertEquals(0.3, (double) m.get("objective/rlhf_reward"), 1e-12);
        assertEquals(2.0, m.get("objective/kl"));
        assertEquals(0.1, m.get("objective/kl_coef"));
        assertEquals(7.0, m.get("objective/entropy"));
        assertEquals(0.01, m.get("policy/approxkl_avg"));
        assertEquals(0.2, m.get("policy/clipfrac_avg"));
        assertEquals(2.0, m.get("loss/value_avg"));
        assertEquals(1.0, m.get("val/ratio"));
        assertEquals(0.6, m.get("val/explained_variance"));
        assertEquals(12.0, m.get("response/length"));
        assertEquals(1, m.get("ppo/skipped_steps"));
        assertTrue(
                m.keySet().stream()
                        .allMatch(k -> k.matches("(objective|policy|loss|val|response|ppo|sampling)/[a-z0-9_/]+")),
                "every key is namespaced: " + m.keySet());
    }
}
