package dev.rlhf.core.generation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits: greedy, or temperature sampling restricted by top-k and nucleus
 * (top-p, Holtzman et al., 2019) filtering. Runs on the host, without sorting the vocabulary where it can: plain
 * temperature sampling is one pass over the row (inverse CDF in token order), top-k keeps a heap of k candidates, and
 * only nucleus filtering without top-k sorts, as primitive keys. A full boxed sort per token cost 44 ms per row at a
 * 151,936-token vocabulary.
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
        if (config.topK() <= 0 && config.topP() >= 1) {
            return sampleAll(logits);
        }
        int[] order =
                config.topK() > 0 && config.topK() < logits.length ? topK(logits, config.topK()) : descending(logits);
        double[] probs = softmax(logits, order);
        int keep = nucleus(probs, order.length, config.topP());
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

    /** Temperature sampling over the whole row: weights exp((l - max) / T), one draw by inverse CDF in token order. */
    private int sampleAll(float[] logits) {
        double t = config.temperature();
        double max = logits[argmax(logits)];
        double[] weights = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            weights[i] = Math.exp((logits[i] - max) / t);
            sum += weights[i];
        }
        double u = random.nextDouble() * sum;
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (u < acc) {
                return i;
            }
        }
        return argmax(logits); // u within rounding of the total
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

    /** The k highest logits' tokens, highest first (ties: lower token first), through a min-heap of k keys. */
    static int[] topK(float[] logits, int k) {
        PriorityQueue<Long> heap = new PriorityQueue<>(k, Comparator.reverseOrder()); // the worst kept key on top
        for (int i = 0; i < logits.length; i++) {
            long key = key(logits[i], i);
            if (heap.size() < k) {
                heap.add(key);
            } else if (key < heap.peek()) {
                heap.poll();
                heap.add(key);
            }
        }
        long[] keys = heap.stream().mapToLong(Long::longValue).sorted().toArray();
        return tokens(keys);
    }

    /** Every token, highest logit first (ties: lower token first): a primitive sort of one key per token. */
    static int[] descending(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            keys[i] = key(logits[i], i);
        }
        Arrays.sort(keys);
        return tokens(keys);
    }

    /**
     * A key whose ascending order is descending logit, then ascending token: the float's bits made order-preserving as
     * an int, complemented, in the high half; the token in the low half.
     */
    private static long key(float logit, int token) {
        int bits = Float.floatToIntBits(logit);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~ascending << 32) | token;
    }

    private static int[] tokens(long[] keys) {
        int[] out = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }

    /** Probabilities of the tokens in {@code order}, renormalised over them, at the temperature. */
    private double[] softmax(float[] logits, int[] order) {
        double[] probs = new double[order.length];
        double max = logits[order[0]] / config.temperature();
        double sum = 0;
        for (int i = 0; i < order.length; i++) {
            probs[i] = Math.exp(logits[order[i]] / config.temperature() - max);
            sum += probs[i];
        }
        for (int i = 0; i < order.length; i++) {
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
