package dev.rlhf.core.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static SamplingConfig config(double temperature, int topK, double topP) {
        return new SamplingConfig(1, temperature, topK, topP, 1, Set.of(), List.of(), true);
    }

    @Test
    void greedyTakesTheArgmax() {
        assertEquals(2, new Sampler(config(0, 0, 1)).next(new float[] {1, 3, 5, 2}));
    }

    @Test
    void topKNeverPicksOutsideTheK() {
        Sampler sampler = new Sampler(config(10, 2, 1));
        for (int i = 0; i < 500; i++) {
            int token = sampler.next(new float[] {1, 3, 5, 2});
            assertTrue(token == 1 || token == 2, "picked " + token);
        }
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // probabilities ~ (0.665, 0.245, 0.090): p = 0.8 keeps the first two only.
        float[] logits = {(float) Math.log(0.665), (float) Math.log(0.245), (float) Math.log(0.090)};
        Sampler sampler = new Sampler(config(1, 0, 0.8));
        int[] counts = new int[3];
        for (int i = 0; i < 4000; i++) {
            counts[sampler.next(logits)]++;
        }
        assertEquals(0, counts[2]);
        double share = counts[0] / 4000.0; // renormalised: 0.665 / 0.91 = 0.731
        assertTrue(Math.abs(share - 0.731) < 0.03, "share of the top token " + share);
    }

    @Test
    void temperatureSamplingDrawsFromTheSoftmaxOfLogitsOverT() {
        float[] logits = {0, (float) Math.log(2), (float) Math.log(4)}; // softmax 1/7, 2/7, 4/7
        for (double t : new double[] {1, 2}) {
            double[] weights = {1, Math.pow(2, 1 / t), Math.pow(4, 1 / t)};
            double total = weights[0] + weights[1] + weights[2];
            Sampler sampler = new Sampler(config(t, 0, 1));
            int[] counts = new int[3];
            int draws = 20_000;
            for (int i = 0; i < draws; i++) {
                counts[sampler.next(logits)]++;
            }
            for (int token = 0; token < 3; token++) {
                double expected = weights[token] / total;
                double share = counts[token] / (double) draws;
                assertTrue(Math.abs(share - expected) < 0.015, "T=" + t + " token " + token + ": " + share);
            }
        }
    }

    @Test
    void candidatesComeHighestLogitFirstWithTiesInTokenOrder() {
        float[] logits = {1, 3, 3, -2, 5, -0.5f};
        assertArrayEquals(new int[] {4, 1, 2, 0, 5, 3}, Sampler.descending(logits));
        assertArrayEquals(new int[] {4, 1, 2}, Sampler.topK(logits, 3));
        assertArrayEquals(new int[] {4}, Sampler.topK(logits, 1));
    }
}
