package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/** Tiny configurations that build in milliseconds on a CPU. */
public final class TestModels {

    private TestModels() {}

    public static LlamaConfig tiny(int vocab, int heads, int kvHeads, boolean tied) {
        return new LlamaConfig(
                "LlamaForCausalLM",
                "llama",
                vocab,
                32,
                64,
                2,
                heads,
                kvHeads,
                32 / heads,
                1e-5,
                10000.0,
                128,
                tied,
                false,
                false,
                0,
                1);
    }

    public static LlamaConfig qwen2(int vocab) {
        return new LlamaConfig(
                "Qwen2ForCausalLM", "qwen2", vocab, 32, 64, 2, 4, 2, 8, 1e-6, 1000000.0, 128, true, true, false, 0, 1);
    }

    public static float maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    public static float[] slice(float[] values, int from, int to) {
        return Arrays.copyOfRange(values, from, to);
    }
}
