package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CausalSelfAttention} against a naive loop over heads and positions written from the papers: Qwen3's per-head
 * q/k RMSNorm before the rotation with head_dim 16 != hidden / heads = 8, and Llama 3.1's scaled rotary frequencies
 * (derived here again in float64).
 */
class Qwen3AttentionTest {

    private static final int T = 6;

    static LlamaConfig[] configs() {
        return new LlamaConfig[] {TestModels.qwen3(20), TestModels.llama3Rope(20)};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void attentionEqualsANaiveComputation(LlamaConfig config) {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalSelfAttention attention = new CausalSelfAttention(config);
            attention.initialize(m, DataType.FLOAT32, new Shape(1, 1, config.hiddenSize()));
            Map<String, Parameter> params = new LinkedHashMap<>();
            attention.collectParameters("", params);
            Random random = new Random(7);
            Map<String, float[]> w = new LinkedHashMap<>();
            params.forEach((name, p) -> {
                float[] values = new float[Math.toIntExact(p.getArray().size())];
                boolean norm = name.endsWith("norm.weight");
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (norm ? 1 + 0.3 * random.nextGaussian() : 0.3 * random.nextGaussian());
                }
                p.getArray().set(values);
                w.put(name, values);
            });
            assertEquals(config.family().qkNorm(), w.containsKey("q_norm.weight"));
            float[] x = new float[T * config.hiddenSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            long[] positions = new long[T];
            for (int t = 0; t < T; t++) {
                positions[t] = t;
            }
            NDArray pos = m.create(positions).reshape(1, T);
            NDArray bias = AttentionMask.causalBias(m.ones(new Shape(1, T), DataType.INT64), T);
            NDArray out = attention.forward(
                    new ParameterStore(m, false),
                    m.create(x).reshape(1, T, config.hiddenSize()),
                    RotaryEmbedding.angles(pos, config.rotaryInverseFrequencies()),
                    bias,
                    null,
                    0,
                    false);
            float diff = TestModels.maxAbsDiff(out.toFloatArray(), naive(config, w, x));
            System.out.printf("%s: max |djl - naive| attention %.3g%n", config.modelType(), diff);
            assertTrue(diff < 1e-4, "max |djl - naive| = " + diff);
        }
    }

    /** Output (T, D) of one sequence; weights are torch Linear (out, in). */
    private static float[] naive(LlamaConfig c, Map<String, float[]> w, float[] x) {
        int d = c.hiddenSize();
        int e = c.headDim();
        int heads = c.numAttentionHeads();
        int kvHeads = c.numKeyValueHeads();
        double[][][] q = new double[heads][T][];
        double[][][] k = new double[kvHeads][T][];
        double[][][] v = new double[kvHeads][T][];
        double[] freq = frequencies(c);
        for (int t = 0; t < T; t++) {
            double[] row = new double[d];
            for (int i = 0; i < d; i++) {
                row[i] = x[t * d + i];
            }
            for (int h = 0; h < heads; h++) {
                q[h][t] = rotate(
                        norm(project(w.get("q_proj.weight"), row, h * e, e), w.get("q_norm.weight"), c), freq, t);
            }
            for (int h = 0; h < kvHeads; h++) {
                k[h][t] = rotate(
                        norm(project(w.get("k_proj.weight"), row, h * e, e), w.get("k_norm.weight"), c), freq, t);
                v[h][t] = project(w.get("v_proj.weight"), row, h * e, e);
            }
        }
        float[] out = new float[T * d];
        int group = heads / kvHeads;
        for (int t = 0; t < T; t++) {
            double[] context = new double[heads * e];
            for (int h = 0; h < heads; h++) {
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int i = 0; i < e; i++) {
                        dot += q[h][t][i] * k[h / group][s][i];
                    }
                    scores[s] = dot / Math.sqrt(e);
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                for (int s = 0; s <= t; s++) {
                    for (int i = 0; i < e; i++) {
                        context[h * e + i] += scores[s] / sum * v[h / group][s][i];
                    }
                }
            }
            double[] o = project(w.get("o_proj.weight"), context, 0, d);
            for (int i = 0; i < d; i++) {
                out[t * d + i] = (float) o[i];
            }
        }
        return out;
    }

    /** Rows [from, from + n) of W (out, in) times x. */
    private static double[] project(float[] weight, double[] x, int from, int n) {
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < x.length; i++) {
                y[r] += weight[(from + r) * x.length + i] * x[i];
            }
        }
        return y;
    }

    /** RMSNorm over one head when the family has q/k norm, else x. */
    private static double[] norm(double[] x, float[] gain, LlamaConfig c) {
        if (gain == null) {
            return x;
        }
        double meanSquare = 0;
        for (double value : x) {
            meanSquare += value * value / x.length;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / Math.sqrt(meanSquare + c.rmsNormEps()) * gain[i];
        }
        return y;
    }

    /** Pair (i, i + E/2) rotated by angle t * f_i. */
    private static double[] rotate(double[] x, double[] freq, int t) {
        int half = x.length / 2;
        double[] y = new double[x.length];
        for (int i = 0; i < half; i++) {
            double cos = Math.cos(t * freq[i]);
            double sin = Math.sin(t * freq[i]);
            y[i] = x[i] * cos - x[i + half] * sin;
            y[i + half] = x[i + half] * cos + x[i] * sin;
        }
        return y;
    }

    /** theta^(-2i/E), with Llama 3.1's three bands when configured. */
    private static double[] frequencies(LlamaConfig c) {
        double[] f = new double[c.headDim() / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.pow(c.ropeTheta(), -2.0 * i / c.headDim());
            if (c.ropeScaling() instanceof RopeScaling.Llama3 s) {
                double wavelength = 2 * Math.PI / f[i];
                double original = s.originalMaxPositionEmbeddings();
                if (wavelength > original / s.lowFreqFactor()) {
                    f[i] /= s.factor();
                } else if (wavelength >= original / s.highFreqFactor()) {
                    double smooth =
                            (original / wavelength - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
                    f[i] = (1 - smooth) * f[i] / s.factor() + smooth * f[i];
                }
            }
        }
        return f;
    }
}
