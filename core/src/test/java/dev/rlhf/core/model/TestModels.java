package dev.rlhf.core.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/** Tiny configurations that build in milliseconds on a CPU. */
public final class TestModels {

    private TestModels() {}

    public static LlamaConfig tiny(int vocab, int heads, int kvHeads, boolean tied) {
        return tiny(vocab, heads, kvHeads, tied, 2);
    }

    /** {@link #tiny(int, int, int, boolean)} with {@code layers} decoder layers. */
    public static LlamaConfig tiny(int vocab, int heads, int kvHeads, boolean tied, int layers) {
        return new LlamaConfig(
                "LlamaForCausalLM",
                "llama",
                vocab,
                32,
                64,
                layers,
                heads,
                kvHeads,
                32 / heads,
                1e-5,
                10000.0,
                RopeScaling.NONE,
                128,
                0,
                tied,
                false,
                false,
                0,
                1);
    }

    public static LlamaConfig qwen2(int vocab) {
        return new LlamaConfig(
                "Qwen2ForCausalLM",
                "qwen2",
                vocab,
                32,
                64,
                2,
                4,
                2,
                8,
                1e-6,
                1000000.0,
                RopeScaling.NONE,
                128,
                0,
                true,
                true,
                false,
                0,
                1);
    }

    /**
     * Qwen3 with q/k norm and head_dim 16 while hidden / heads = 8: q_proj is 32 -&gt; 64 and o_proj 64 -&gt; 32 (as
     * Qwen3-0.6B's 1024 -&gt; 2048 -&gt; 1024); GQA 4:2, tied.
     */
    public static LlamaConfig qwen3(int vocab) {
        return new LlamaConfig(
                "Qwen3ForCausalLM",
                "qwen3",
                vocab,
                32,
                64,
                2,
                4,
                2,
                16,
                1e-6,
                1000000.0,
                RopeScaling.NONE,
                128,
                0,
                true,
                false,
                false,
                0,
                1);
    }

    /**
     * Llama with Llama 3.1's rope scaling, tuned so that all three bands occur at E = 8: inverse frequencies 1, 0.1,
     * 0.01, 0.001 have wavelengths 6.3 (kept, &lt; 128/4), 62.8 (smoothed, s = 0.346) and 628, 6283 (divided, &gt; 128/1).
     */
    public static LlamaConfig llama3Rope(int vocab) {
        return new LlamaConfig(
                "LlamaForCausalLM",
                "llama",
                vocab,
                32,
                64,
                2,
                4,
                2,
                8,
                1e-5,
                10000.0,
                new RopeScaling.Llama3(8.0, 1.0, 4.0, 128),
                128,
                0,
                false,
                false,
                false,
                0,
                1);
    }

    /** Mistral (Llama layout, no biases, untied) with the given {@code sliding_window}, 0 for none. */
    public static LlamaConfig mistral(int vocab, int slidingWindow) {
        return new LlamaConfig(
                "MistralForCausalLM",
                "mistral",
                vocab,
                32,
                64,
                2,
                4,
                1,
                8,
                1e-5,
                10000.0,
                RopeScaling.NONE,
                128,
                slidingWindow,
                false,
                false,
                false,
                0,
                1);
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
