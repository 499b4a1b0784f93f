package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.ModelConfigException;
import dev.rlhf.core.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointTest {

    @TempDir
    Path tmp;

    private static final long[][] IDS = {{1, 5, 9, 2, 7, 3}, {0, 0, 4, 8, 12, 16}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1}};

    private static float[] logits(LanguageModel lm) {
        try (NDManager m = lm.manager().newSubManager()) {
            return lm.logits(m.create(IDS), m.create(MASK)).toFloatArray();
        }
    }

    @Test
    void saveThenLoadGivesIdenticalLogits() {
        for (LlamaConfig config : new LlamaConfig[] {TestModels.tiny(40, 4, 2, false), TestModels.qwen2(40)}) {
            Path dir = tmp.resolve(config.modelType());
            try (LanguageModel original = LanguageModel.create(config, 21)) {
                HfCheckpoint.save(original, dir, null);
                try (LanguageModel loaded = HfCheckpoint.load(dir)) {
                    assertEquals(config, loaded.config());
                    assertEquals(0f, TestModels.maxAbsDiff(logits(original), logits(loaded)), config.modelType());
                }
            }
        }
    }

    @Test
    void writesTheHuggingFaceLayoutAndNames() throws IOException {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, true), 1)) {
            HfCheckpoint.save(lm, tmp.resolve("m"), null);
        }
        Path dir = tmp.resolve("m");
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals("LlamaForCausalLM", config.path("architectures").path(0).asText());
        assertEquals(2, config.path("num_key_value_heads").asInt());
        assertTrue(config.path("tie_word_embeddings").asBoolean());
        assertTrue(Files.isRegularFile(dir.resolve("generation_config.json")));
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("model.safetensors"))) {
            assertTrue(reader.tensors().containsKey("model.layers.1.mlp.down_proj.weight"));
            assertTrue(reader.tensors().containsKey("model.embed_tokens.weight"));
            assertFalse(reader.tensors().containsKey("lm_head.weight"), "tied: no lm_head.weight");
            assertEquals("pt", reader.metadata().get("format"));
            assertEquals(2 * 9 + 2, reader.tensors().size()); // 9 tensors per layer, embedding, final norm
        }
    }

    @Test
    void loadsBf16AndShardedCheckpoints() throws IOException {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(40), 3)) {
            Path dir = tmp.resolve("sharded");
            HfCheckpoint.save(lm, dir, null);
            Files.delete(dir.resolve("model.safetensors"));
            Map<String, NDArray> first = new TreeMap<>();
            Map<String, NDArray> second = new TreeMap<>();
            Map<String, String> weightMap = new LinkedHashMap<>();
            lm.block().hfParameters().forEach((name, p) -> {
                boolean early = name.startsWith("model.layers.0") || name.startsWith("model.embed");
                (early ? first : second).put(name, p.getArray());
                weightMap.put(name, early ? "a.safetensors" : "b.safetensors");
            });
            SafetensorsWriter.write(dir.resolve("a.safetensors"), first, Map.of(), SafetensorsDtype.BF16);
            SafetensorsWriter.write(dir.resolve("b.safetensors"), second, Map.of(), SafetensorsDtype.BF16);
            ObjectMapper json = new ObjectMapper();
            Files.writeString(
                    dir.resolve("model.safetensors.index.json"),
                    json.writeValueAsString(Map.of("metadata", Map.of(), "weight_map", weightMap)));
            try (LanguageModel loaded = HfCheckpoint.load(dir)) {
                Map<String, Parameter> got = loaded.block().hfParameters();
                for (Map.Entry<String, Parameter> e : lm.block().hfParameters().entrySet()) {
                    float[] want = e.getValue().getArray().toFloatArray();
                    float[] have = got.get(e.getKey()).getArray().toFloatArray();
                    for (int i = 0; i < want.length; i++) {
                        // bf16 keeps 8 significant bits: relative error at most 2^-8
                        assertTrue(Math.abs(want[i] - have[i]) <= Math.abs(want[i]) / 256 + 1e-30, e.getKey());
                    }
                }
            }
        }
    }

    @Test
    void shapeMismatchNamesTheFileTheTensorAndBothShapes() throws IOException {
        Path dir = tmp.resolve("bad");
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, true), 1)) {
            HfCheckpoint.save(lm, dir, null);
        }
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"vocab_size\" : 40", "\"vocab_size\" : 48"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> HfCheckpoint.load(dir));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("model.embed_tokens.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("[40, 32]") && e.getMessage().contains("[48, 32]"), e.getMessage());
    }

    @Test
    void missingTensorAndMalformedConfigAreNamed() throws IOException {
        Path dir = tmp.resolve("m");
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, true), 1)) {
            HfCheckpoint.save(lm, dir, null);
        }
        Path config = dir.resolve("config.json");
        String good = Files.readString(config);
        Files.writeString(config, good.replace("\"tie_word_embeddings\" : true", "\"tie_word_embeddings\" : false"));
        CheckpointException missing = assertThrows(CheckpointException.class, () -> HfCheckpoint.load(dir));
        assertTrue(missing.getMessage().contains("missing tensors [lm_head.weight]"), missing.getMessage());

        Files.writeString(config, good.substring(0, good.length() / 2));
        ModelConfigException broken = assertThrows(ModelConfigException.class, () -> HfCheckpoint.load(dir));
        assertTrue(broken.getMessage().contains("config.json: not valid JSON"), broken.getMessage());

        Files.writeString(config, good.replace("\"num_key_value_heads\" : 2", "\"num_key_value_heads\" : 3"));
        ModelConfigException heads = assertThrows(ModelConfigException.class, () -> HfCheckpoint.load(dir));
        assertTrue(heads.getMessage().contains("num_key_value_heads"), heads.getMessage());

        CheckpointException none = assertThrows(CheckpointException.class, () -> HfCheckpoint.load(tmp.resolve("x")));
        assertTrue(none.getMessage().contains("not a model directory"), none.getMessage());
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointLoadable() {
        Path dir = tmp.resolve("m");
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, true), 1)) {
            HfCheckpoint.save(lm, dir, null);
            float[] before = logits(lm);
            try (LanguageModel other = LanguageModel.create(TestModels.tiny(40, 4, 2, true), 2)) {
                assertThrows(CheckpointException.class, () -> HfCheckpoint.save(other, dir, tmp.resolve("no-tok")));
            }
            try (LanguageModel loaded = HfCheckpoint.load(dir)) {
                assertEquals(0f, TestModels.maxAbsDiff(before, logits(loaded)));
            }
        }
    }
}
