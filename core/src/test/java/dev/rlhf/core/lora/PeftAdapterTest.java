package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.SafetensorsReader;
import dev.rlhf.core.checkpoint.TensorInfo;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save and load in PEFT's layout: file names, tensor names and shapes, identical outputs after a round trip. */
class PeftAdapterTest {

    private static final LlamaConfig CONFIG = TestModels.qwen3(40);

    @TempDir
    Path tmp;

    @Test
    void aSavedAdapterLoadsOntoAFreshBaseWithIdenticalOutputs() throws Exception {
        Path dir = tmp.resolve("adapter");
        float[] trained;
        try (LanguageModel lm = LanguageModel.create(CONFIG, 1);
                NDManager m = lm.manager().newSubManager()) {
            LoraModel lora = LoraModel.attach(lm, new LoraSettings(4, 8, 0.05, LoraSettings.LINEARS, true), 3);
            LoraFixtures.train(lm, lora, 3);
            trained = LoraFixtures.logits(lm, m);
            PeftAdapter.save(lora, dir, "models/base");
        }
        try (LanguageModel base = LanguageModel.create(CONFIG, 1);
                NDManager m = base.manager().newSubManager()) {
            LoraModel loaded = PeftAdapter.load(base, dir);
            assertArrayEquals(trained, LoraFixtures.logits(base, m), 0f);
            assertEquals(4, loaded.settings().r());
            assertTrue(loaded.settings().useRslora());
        }
    }

    /** Qwen3 shapes: q_proj 32 -> 64, k/v_proj 32 -> 32, o_proj 64 -> 32, gate/up 32 -> 64, down 64 -> 32. */
    @Test
    void tensorsCarryPeftsNamesAndShapes() throws Exception {
        Path dir = tmp.resolve("adapter");
        try (LanguageModel lm = LanguageModel.create(CONFIG, 1)) {
            PeftAdapter.save(LoraModel.attach(lm, LoraSettings.of(4, 8), 3), dir, "models/base");
        }
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("adapter_model.safetensors"))) {
            Map<String, TensorInfo> tensors = new TreeMap<>(reader.tensors());
            assertEquals(2 * 7 * 2, tensors.size());
            String layer = "base_model.model.model.layers.0.";
            assertShape(tensors, layer + "self_attn.q_proj.lora_A.weight", 4, 32);
            assertShape(tensors, layer + "self_attn.q_proj.lora_B.weight", 64, 4);
            assertShape(tensors, layer + "self_attn.k_proj.lora_B.weight", 32, 4);
            assertShape(tensors, layer + "self_attn.o_proj.lora_A.weight", 4, 64);
            assertShape(tensors, layer + "mlp.gate_proj.lora_B.weight", 64, 4);
            assertShape(tensors, layer + "mlp.down_proj.lora_A.weight", 4, 64);
            assertShape(tensors, "base_model.model.model.layers.1.mlp.up_proj.lora_A.weight", 4, 32);
            assertEquals("pt", reader.metadata().get("format"));
        }
        JsonNode config =
                new ObjectMapper().readTree(dir.resolve("adapter_config.json").toFile());
        assertEquals("LORA", config.path("peft_type").asText());
        assertEquals("CAUSAL_LM", config.path("task_type").asText());
        assertEquals(4, config.path("r").asInt());
        assertTrue(config.path("lora_alpha").isIntegralNumber());
        assertEquals(8, config.path("lora_alpha").asInt());
        assertEquals("none", config.path("bias").asText());
        assertEquals("models/base", config.path("base_model_name_or_path").asText());
        assertFalse(config.path("fan_in_fan_out").asBoolean(true));
        assertFalse(config.path("use_rslora").asBoolean(true));
        assertTrue(config.path("inference_mode").asBoolean(false));
        assertTrue(config.path("modules_to_save").isNull());
        assertEquals(7, config.path("target_modules").size());
        List<String> keys = new java.util.ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        assertEquals(keys.stream().sorted().toList(), keys, "keys sorted, as save_pretrained writes them");
    }

    @Test
    void aRewardModelAdapterSavesItsScoreHeadAsAModuleToSave() throws Exception {
        Path dir = tmp.resolve("rm-adapter");
        long[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1, 1}};
        float[] rewards;
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(CONFIG, 1), 2);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            LoraModel lora = LoraModel.attach(rm, LoraSettings.of(4, 8), 3);
            LoraFixtures.randomize(lora.trainableParameters(), m);
            rewards = rm.rewards(LoraFixtures.ids(m), m.create(mask)).toFloatArray();
            PeftAdapter.save(lora, dir, "models/sft");
        }
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("adapter_model.safetensors"))) {
            assertShape(reader.tensors(), "base_model.model.score.weight", 1, 32);
            assertEquals(2 * 7 * 2 + 1, reader.tensors().size());
        }
        JsonNode config =
                new ObjectMapper().readTree(dir.resolve("adapter_config.json").toFile());
        assertEquals("SEQ_CLS", config.path("task_type").asText());
        assertEquals(
                List.of("score"), List.of(config.path("modules_to_save").path(0).asText()));
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(CONFIG, 1), 2);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            PeftAdapter.load(rm, dir);
            assertArrayEquals(
                    rewards, rm.rewards(LoraFixtures.ids(m), m.create(mask)).toFloatArray(), 0f);
        }
    }

    @Test
    void theConfigReadsBack() {
        Path dir = tmp.resolve("adapter");
        try (LanguageModel lm = LanguageModel.create(CONFIG, 1)) {
            LoraSettings settings = new LoraSettings(8, 16.5, 0.1, List.of("q_proj", "v_proj"), true);
            PeftAdapter.save(LoraModel.attach(lm, settings, 3), dir, null);
            AdapterConfig config = PeftAdapter.readConfig(dir);
            assertEquals(settings, config.settings());
            assertEquals(LoraModel.TaskType.CAUSAL_LM, config.taskType());
            assertNull(config.baseModelNameOrPath());
        }
    }

    private static void assertShape(Map<String, TensorInfo> tensors, String name, long... shape) {
        assertTrue(tensors.containsKey(name), name + " in " + tensors.keySet());
        assertArrayEquals(shape, tensors.get(name).shape(), name);
    }
}
