package dev.rlhf.core.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits: greedy, or temperature sampling restricted by top-k and nucleus
 * (top-p, Holtzman et al., 2019) filtering. Runs on the host; a row of a few thousand logits costs microseconds next to
 * the forward pass that produced it.
 */
public final class Sampler {

    private final SamplingConfig config;
    private final SplittableRandom random;

    public Sampler(SamplingConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
    }

    public int next(float[] logits) {
        if (config.greedyDecoding()) {
            return argmax(logits);
        }
        Integer[] order = byDescendingLogit(logits);
        int keep = config.topK() > 0 ? Math.min(config.topK(), logits.length) : logits.length;
        double[] probs = softmax(logits, order, keep);
        keep = nucleus(probs, keep, config.topP());
        double u = random.nextDouble() * cumulative(probs, keep);
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += probs[i];
            if (u < acc) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /** log softmax(logits)[token], computed stably as logit - max - log(sum(exp(logits - max))). */
    static float logProbability(float[] logits, int token) {
        float max = logits[argmax(logits)];
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return (float) (logits[token] - max - Math.log(sum));
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Integer[] byDescendingLogit(float[] logits) {
        Integer[] order = new Integer[logits.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        return order;
    }

    /** Probabilities of the first {@code keep} tokens in {@code order}, renormalised over them, at the temperature. */
    private double[] softmax(float[] logits, Integer[] order, int keep) {
        double[] probs = new double[keep];
        double max = logits[order[0]] / config.temperature();
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            probs[i] = Math.exp(logits[order[i]] / config.temperature() - max);
            sum += probs[i];
        }
        for (int i = 0; i < keep; i++) {
            probs[i] /= sum;
        }
        return probs;
    }

    /** Smallest prefix of the descending probabilities whose mass reaches p. */
    private static int nucleus(double[] probs, int keep, double topP) {
        if (topP >= 1) {
            return keep;
        }
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += probs[i];
            if (acc >= topP) {
                return i + 1;
            }
        }
        return keep;
    }

    private static double cumulative(double[] probs, int keep) {
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            sum += probs[i];
        }
        return sum;
    }
}
