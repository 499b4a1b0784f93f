package dev.rlhf.core.ppo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one PPO iteration logs: reward, KL (k1 and k3), losses, clipping, entropy, response statistics. */
public record PpoStats(Map<String, Object> values) {

    public double get(String key) {
        return ((Number) values.get(key)).doubleValue();
    }

    /** Accumulates an iteration's figures; minibatch figures are averaged. */
    static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final double[] sums = new double[8];
        private int minibatches;
        private int skipped;

        Builder rewards(float[] raw) {
            double mean = 0;
            for (float r : raw) {
                mean += r / raw.length;
            }
            double var = 0;
            for (float r : raw) {
                var += (r - mean) * (r - mean) / raw.length;
            }
            values.put("reward_mean", mean);
            values.put("reward_std", Math.sqrt(var));
            return this;
        }

        Builder kl(double k1, double k3, double perSequence) {
            values.put("kl_k1", k1);
            values.put("kl_k3", k3);
            values.put("kl", perSequence);
            return this;
        }

        Builder klCoef(double coef) {
            values.put("kl_coef", coef);
            return this;
        }

        Builder explainedVariance(double ev) {
            values.put("explained_variance", ev);
            return this;
        }

        Builder responses(List<long[]> responses) {
            values.put("response_length", PpoMetrics.meanResponseLength(responses));
            values.put("distinct_responses", PpoMetrics.distinctResponseRatio(responses));
            return this;
        }

        Builder epochs(int epochs) {
            values.put("ppo_epochs", epochs);
            return this;
        }

        Builder stoppedEarly(boolean stopped) {
            values.put("early_stop", stopped);
            return this;
        }

        void minibatch(double... figures) {
            for (int i = 0; i < figures.length; i++) {
                sums[i] += figures[i];
            }
            minibatches++;
        }

        void skippedStep() {
            skipped++;
        }

        PpoStats build() {
            values.put("skipped_steps", skipped);
            String[] names = {
                "policy_loss",
                "value_loss",
                "clip_frac",
                "value_clip_frac",
                "approx_kl",
                "entropy",
                "grad_norm",
                "critic_grad_norm"
            };
            for (int i = 0; i < names.length; i++) {
                values.put(names[i], minibatches == 0 ? Double.NaN : sums[i] / minibatches);
            }
            values.putIfAbsent("early_stop", false);
            return new PpoStats(Map.copyOf(values));
        }
    }
}
