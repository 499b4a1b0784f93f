package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CausalLmTest {

    @Test
    void changingOneTokenChangesNoEarlierLogit() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(50, 4, 2, true), 1);
                NDManager m = lm.manager().newSubManager()) {
            long[] ids = {3, 7, 11, 19, 23, 29, 31, 37};
            NDArray mask = m.ones(new Shape(1, ids.length)).toType(ai.djl.ndarray.types.DataType.INT64, false);
            float[] before = lm.logits(m.create(ids).reshape(1, -1), mask).toFloatArray();
            int t = 5;
            ids[t] = 41;
            float[] after = lm.logits(m.create(ids).reshape(1, -1), mask).toFloatArray();
            int v = 50;
            assertArrayEquals(TestModels.slice(before, 0, t * v), TestModels.slice(after, 0, t * v), 0f);
            assertTrue(
                    TestModels.maxAbsDiff(
                                    TestModels.slice(before, t * v, (t + 1) * v),
                                    TestModels.slice(after, t * v, (t + 1) * v))
                            > 1e-4,
                    "the changed position itself must see the change");
        }
    }

    @Test
    void leftAndRightPaddingLeaveRealTokensUnchanged() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(50), 2);
                NDManager m = lm.manager().newSubManager()) {
            long[] alone = {5, 9, 13, 17};
            NDArray single = lm.logits(
                            m.create(alone).reshape(1, 4),
                            m.create(new long[] {1, 1, 1, 1}).reshape(1, 4))
                    .get(0);
            long[][] ids = {{0, 0, 5, 9, 13, 17}, {5, 9, 13, 17, 0, 0}, {8, 6, 4, 2, 1, 3}};
            long[][] mask = {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}};
            NDArray batch = lm.logits(m.create(ids), m.create(mask));
            assertTrue(TestModels.maxAbsDiff(single, batch.get(new NDIndex("0, 2:"))) < 1e-5, "left padding");
            assertTrue(TestModels.maxAbsDiff(single, batch.get(new NDIndex("1, :4"))) < 1e-5, "right padding");
        }
    }

    @Test
    void groupedQueryAttentionEqualsMultiHeadWithRepeatedKeyValueHeads() {
        LlamaConfig gqa = TestModels.tiny(40, 4, 2, false);
        LlamaConfig mha = TestModels.tiny(40, 4, 4, false);
        try (LanguageModel grouped = LanguageModel.create(gqa, 3);
                LanguageModel full = LanguageModel.create(mha, 4);
                NDManager m = grouped.manager().newSubManager()) {
            copyWithRepeatedKeyValueHeads(grouped, full, 2);
            NDArray ids = m.create(new long[][] {{1, 2, 3, 4, 5, 6, 7}, {9, 8, 7, 6, 5, 4, 3}});
            NDArray mask = m.ones(new Shape(2, 7)).toType(ai.djl.ndarray.types.DataType.INT64, false);
            float diff = TestModels.maxAbsDiff(grouped.logits(ids, mask), full.logits(ids, mask));
            assertTrue(diff < 1e-5, "max |GQA - MHA| = " + diff);
        }
    }

    /**
     * The backward too: with the same weights, every gradient of the grouped model equals the repeated-heads model's,
     * a key/value projection's being the sum over its G copies (what attention without {@code repeat_kv} copies must
     * give).
     */
    @Test
    void groupedQueryAttentionHasTheGradientsOfMultiHeadWithRepeatedKeyValueHeads() {
        LlamaConfig gqa = TestModels.tiny(40, 4, 2, false);
        LlamaConfig mha = TestModels.tiny(40, 4, 4, false);
        try (LanguageModel grouped = LanguageModel.create(gqa, 3);
                LanguageModel full = LanguageModel.create(mha, 4);
                NDManager m = grouped.manager().newSubManager()) {
            copyWithRepeatedKeyValueHeads(grouped, full, 2);
            NDArray ids = m.create(new long[][] {{1, 2, 3, 4, 5, 6, 7}, {9, 8, 7, 6, 5, 4, 3}});
            NDArray mask = m.create(new long[][] {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1}});
            NDArray weights = m.randomNormal(new Shape(2, 7, 40));
            Map<String, NDArray> g = gradients(grouped, new NDList(ids, mask), weights);
            Map<String, NDArray> f = gradients(full, new NDList(ids, mask), weights);
            for (Map.Entry<String, NDArray> e : g.entrySet()) {
                NDArray expected = f.get(e.getKey());
                if (e.getKey().contains("k_proj") || e.getKey().contains("v_proj")) {
                    expected = expected.reshape(gqa.numKeyValueHeads(), 2, gqa.headDim(), gqa.hiddenSize())
                            .sum(new int[] {1})
                            .reshape(e.getValue().getShape());
                }
                float diff = TestModels.maxAbsDiff(e.getValue(), expected);
                assertTrue(diff < 1e-4, e.getKey() + ": max |GQA - MHA| gradient = " + diff);
            }
        }
    }

    /** Gradients of sum(logits * weights), copied out of the model's parameters. */
    private static Map<String, NDArray> gradients(LanguageModel lm, NDList inputs, NDArray weights) {
        NDManager m = weights.getManager();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = lm.block()
                    .forward(new ParameterStore(m, false), inputs, true)
                    .singletonOrThrow();
            gc.backward(logits.mul(weights).sum());
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        lm.block().hfParameters().forEach((name, p) -> {
            NDArray grad = p.getArray().getGradient();
            NDArray copy = grad.duplicate();
            copy.attach(m);
            grad.close();
            out.put(name, copy);
        });
        return out;
    }

    /** Sets {@code full}'s weights to {@code grouped}'s, each key/value projection's heads repeated {@code group} times. */
    private static void copyWithRepeatedKeyValueHeads(LanguageModel grouped, LanguageModel full, int group) {
        LlamaConfig config = grouped.config();
        Map<String, Parameter> from = grouped.block().hfParameters();
        for (Map.Entry<String, Parameter> e : full.block().hfParameters().entrySet()) {
            NDArray source = from.get(e.getKey()).getArray();
            boolean kv = e.getKey().contains("k_proj") || e.getKey().contains("v_proj");
            NDArray value = kv ? repeatHeads(source, group, config.headDim(), config.hiddenSize()) : source;
            e.getValue().getArray().set(value.toFloatArray());
        }
    }

    /** (K*E, D) -> (K*G*E, D): each key/value head's rows repeated G times in place. */
    private static NDArray repeatHeads(NDArray w, int group, int headDim, int hidden) {
        long kvHeads = w.getShape().get(0) / headDim;
        return w.reshape(kvHeads, 1, headDim, hidden)
                .broadcast(kvHeads, group, headDim, hidden)
                .reshape(kvHeads * group * headDim, hidden);
    }

    @Test
    void parametersCarryHuggingFaceNames() {
        try (LanguageModel tied = LanguageModel.create(TestModels.tiny(30, 4, 2, true), 5);
                LanguageModel qwen = LanguageModel.create(TestModels.qwen2(30), 5)) {
            Map<String, Parameter> names = tied.block().hfParameters();
            assertTrue(names.containsKey("model.embed_tokens.weight"));
            assertTrue(names.containsKey("model.layers.1.self_attn.q_proj.weight"));
            assertTrue(names.containsKey("model.layers.0.mlp.gate_proj.weight"));
            assertTrue(names.containsKey("model.layers.0.post_attention_layernorm.weight"));
            assertTrue(names.containsKey("model.norm.weight"));
            assertFalse(names.containsKey("lm_head.weight"), "tied embeddings have no lm_head");
            assertFalse(names.containsKey("model.layers.0.self_attn.q_proj.bias"));
            assertEquals(
                    new Shape(16, 32),
                    names.get("model.layers.0.self_attn.k_proj.weight").getShape());
            Map<String, Parameter> qwenNames = qwen.block().hfParameters();
            assertTrue(qwenNames.containsKey("model.layers.0.self_attn.v_proj.bias"), "Qwen2 has qkv bias");
            assertFalse(qwenNames.containsKey("model.layers.0.self_attn.o_proj.bias"), "but none on o_proj");
        }
    }

    @Test
    void scalarHeadReadsTheSameBackbone() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(30, 4, 2, true), 6);
                NDManager m = lm.manager().newSubManager()) {
            ScalarHead head = new ScalarHead(32);
            head.initialize(lm.manager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, 32));
            NDArray ids = m.create(new long[][] {{1, 2, 3}, {4, 5, 6}});
            NDArray mask = m.ones(new Shape(2, 3)).toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDArray hidden = lm.block()
                    .backbone()
                    .forward(lm.inferenceStore(), new NDList(ids, mask), false)
                    .singletonOrThrow();
            NDArray values =
                    head.forward(lm.inferenceStore(), new NDList(hidden), false).singletonOrThrow();
            assertEquals(new Shape(2, 3), values.getShape());
            float[] expected =
                    hidden.matMul(head.weight().getArray().transpose()).toFloatArray();
            assertArrayEquals(expected, values.toFloatArray(), 1e-6f);
        }
    }
}
