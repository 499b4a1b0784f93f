package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Qwen3, Llama 3.x rope scaling and Mistral through the whole model: shapes, names, KV cache, config files. */
class ArchitecturesTest {

    private static final Path FILE = Path.of("m", "config.json");

    static LlamaConfig[] configs() {
        return new LlamaConfig[] {TestModels.qwen3(40), TestModels.llama3Rope(40), TestModels.mistral(40, 0)};
    }

    @Test
    void qwen3HeadsNeedNotTileTheHiddenSize() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen3(40), 1)) {
            Map<String, Parameter> p = lm.block().hfParameters();
            String a = "model.layers.1.self_attn.";
            assertEquals(new Shape(64, 32), p.get(a + "q_proj.weight").getShape(), "H*E = 4*16 rows");
            assertEquals(new Shape(32, 32), p.get(a + "k_proj.weight").getShape(), "K*E = 2*16 rows");
            assertEquals(new Shape(32, 64), p.get(a + "o_proj.weight").getShape(), "H*E -> D");
            assertEquals(new Shape(16), p.get(a + "q_norm.weight").getShape());
            assertEquals(new Shape(16), p.get(a + "k_norm.weight").getShape());
            assertFalse(p.containsKey(a + "q_proj.bias"), "Qwen3 attention_bias defaults to false");
            assertFalse(p.containsKey("lm_head.weight"), "tied");
        }
        try (LanguageModel llama = LanguageModel.create(TestModels.llama3Rope(40), 1)) {
            assertFalse(llama.block().hfParameters().containsKey("model.layers.0.self_attn.q_norm.weight"));
        }
    }

    /**
     * Prefill 3 tokens, then feed one at a time: every step's logits equal the full forward's row, also across the
     * cache's growth (little headroom, so its buffers grow twice).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void kvCacheGivesTheLogitsOfTheFullForward(LlamaConfig config) {
        long[] ids = {3, 17, 5, 29, 11, 2, 37, 8};
        int prefill = 3;
        try (LanguageModel lm = LanguageModel.create(config, 5);
                NDManager m = lm.manager().newSubManager();
                KvCache cache = new KvCache(m, config.numHiddenLayers(), ids.length, 1)) { // grows at 4 and 7
            NDArray full = lm.logits(m.create(ids).reshape(1, -1), m.ones(new Shape(1, ids.length), DataType.INT64));
            NDArray prefix = m.create(java.util.Arrays.copyOf(ids, prefill)).reshape(1, prefill);
            ModelInputs in = ModelInputs.fromPaddingMask(prefix, m.ones(new Shape(1, prefill), DataType.INT64));
            NDArray first = lm.block().logits(lm.inferenceStore(), in.ids(), in.positions(), in.bias(), cache, false);
            float diff = TestModels.maxAbsDiff(first, full.get(new NDIndex(":, :{}, :", prefill)));
            for (int t = prefill; t < ids.length; t++) {
                NDArray step = lm.block()
                        .logits(
                                lm.inferenceStore(),
                                m.create(new long[] {ids[t]}).reshape(1, 1),
                                m.create(new long[] {t}).reshape(1, 1),
                                AttentionMask.causalBias(m.ones(new Shape(1, t + 1), DataType.INT64), 1),
                                cache,
                                false);
                diff = Math.max(diff, TestModels.maxAbsDiff(step, full.get(new NDIndex(":, {}:{}, :", t, t + 1))));
            }
            assertEquals(ids.length, cache.length());
            assertEquals(ids.length, cache.capacity());
            assertTrue(diff < 1e-5, config.modelType() + ": max |cached - full| = " + diff);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void configJsonReadsBackAsTheSameConfig(LlamaConfig config) {
        ObjectNode json = config.toJson();
        assertEquals(config, LlamaConfig.parse(json, FILE));
        assertEquals(
                config.family().causalLmArchitecture(),
                json.path("architectures").path(0).asText());
        assertEquals(config.headDim(), json.path("head_dim").asInt());
    }

    @Test
    void mistralWindowDefaultsAsTransformersDoes() throws Exception {
        ObjectNode json = TestModels.mistral(40, 0).toJson();
        assertTrue(json.get("sliding_window").isNull());
        assertFalse(json.has("attention_bias"), "Mistral has no attention bias");
        assertEquals(0, LlamaConfig.parse(json, FILE).slidingWindow(), "null: no window");
        json.remove("sliding_window");
        assertEquals(4096, LlamaConfig.parse(json, FILE).slidingWindow(), "absent: MistralConfig's 4096");
        json.put("sliding_window", 16);
        assertEquals(16, LlamaConfig.parse(json, FILE).slidingWindow());
        ObjectNode qwen = TestModels.qwen3(40).toJson();
        qwen.put("sliding_window", 16);
        assertEquals(0, LlamaConfig.parse(qwen, FILE).slidingWindow(), "Qwen: only with use_sliding_window");
        qwen.put("use_sliding_window", true);
        assertEquals(16, LlamaConfig.parse(qwen, FILE).slidingWindow());
    }

    @Test
    void sequencesLongerThanTheSlidingWindowAreRefusedAtUse() {
        LlamaConfig config = TestModels.mistral(40, 4);
        config.requireWithinSlidingWindow(4, "seq_len");
        ModelConfigException e =
                assertThrows(ModelConfigException.class, () -> config.requireWithinSlidingWindow(5, "seq_len"));
        assertTrue(e.getMessage().contains("sliding_window=4") && e.getMessage().contains("seq_len=5"), e.getMessage());
        try (LanguageModel lm = LanguageModel.create(config, 2);
                NDManager m = lm.manager().newSubManager()) {
            lm.logits(m.create(new long[][] {{1, 2, 3, 4}}), m.ones(new Shape(1, 4), DataType.INT64));
            ModelConfigException forward = assertThrows(
                    ModelConfigException.class,
                    () -> lm.logits(m.create(new long[][] {{1, 2, 3, 4, 5}}), m.ones(new Shape(1, 5), DataType.INT64)));
            assertTrue(forward.getMessage().contains("sliding_window=4"), forward.getMessage());
        }
    }

    @Test
    void unknownModelTypeIsRefusedByName() throws Exception {
        ObjectNode json = TestModels.qwen3(40).toJson();
        json.put("model_type", "gemma2");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> LlamaConfig.parse(json, FILE));
        assertTrue(e.getMessage().startsWith(FILE + ": model_type 'gemma2' is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("llama, qwen2, qwen3, mistral"), e.getMessage());
        ObjectNode noTie = (ObjectNode) new ObjectMapper().readTree(json.toString());
        noTie.put("model_type", "qwen3");
        noTie.remove("tie_word_embeddings");
        assertFalse(LlamaConfig.parse(noTie, FILE).tieWordEmbeddings(), "Qwen3Config's default is untied");
    }
}
