package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.ModelConfigException;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Save then load, in float32, bfloat16 and shards, for every architecture; and the files transformers expects. */
class ArchitectureCheckpointTest {

    private static final long[][] IDS = {{1, 5, 9, 2, 7, 3}, {0, 0, 4, 8, 12, 16}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1}};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Stream<LlamaConfig> configs() {
        return Stream.of(TestModels.qwen3(40), TestModels.llama3Rope(40), TestModels.mistral(40, 64));
    }

    private static float[] logits(LanguageModel lm) {
        try (NDManager m = lm.manager().newSubManager()) {
            return lm.logits(m.create(IDS), m.create(MASK)).toFloatArray();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void float32SaveThenLoadGivesIdenticalLogits(LlamaConfig config) throws IOException {
        Path dir = tmp.resolve("f32");
        try (LanguageModel original = LanguageModel.create(config, 21)) {
            HfCheckpoint.save(original, dir, null);
            try (LanguageModel loaded = HfCheckpoint.load(dir)) {
                assertEquals(config, loaded.config());
                assertEquals(0f, TestModels.maxAbsDiff(logits(original), logits(loaded)));
            }
        }
        JsonNode json = JSON.readTree(dir.resolve("config.json").toFile());
        assertEquals("float32", json.path("torch_dtype").asText());
        assertEquals(
                config.family().causalLmArchitecture(),
                json.path("architectures").path(0).asText());
        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
        assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")), "one shard: no index");
    }

    /** The loaded weights are the originals rounded to bfloat16, so the logits equal those of a rounded copy. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void bf16SaveLoadsTheRoundedWeights(LlamaConfig config) throws IOException {
        Path dir = tmp.resolve("bf16");
        try (LanguageModel original = LanguageModel.create(config, 22)) {
            HfCheckpoint.save(original, dir, null, SaveOptions.DEFAULT.withDtype(SafetensorsDtype.BF16));
            for (Parameter p : original.block().hfParameters().values()) {
                float[] values = p.getArray().toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(values[i]));
                }
                p.getArray().set(values);
            }
            try (LanguageModel loaded = HfCheckpoint.load(dir)) {
                assertEquals(0f, TestModels.maxAbsDiff(logits(original), logits(loaded)));
            }
        }
        assertEquals(
                "bfloat16",
                JSON.readTree(dir.resolve("config.json").toFile())
                        .path("torch_dtype")
                        .asText());
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("model.safetensors"))) {
            assertTrue(reader.tensors().values().stream().allMatch(t -> t.dtype() == SafetensorsDtype.BF16));
        }
    }

    /**
     * At most 6000 bytes a shard: a tensor above the limit (a (64, 32) float32 projection, 8192 bytes) gets a shard
     * of its own, the rest is packed in order; the index is transformers' {@code {"metadata": {"total_size"}, "weight_map"}}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shardedSaveWritesTheIndexAndLoadsIdentically(LlamaConfig config) throws IOException {
        Path dir = tmp.resolve("sharded");
        long limit = 6000;
        Map<String, Parameter> params;
        try (LanguageModel original = LanguageModel.create(config, 23)) {
            HfCheckpoint.save(original, dir, null, SaveOptions.DEFAULT.withMaxShardBytes(limit));
            try (LanguageModel loaded = HfCheckpoint.load(dir)) {
                assertEquals(0f, TestModels.maxAbsDiff(logits(original), logits(loaded)));
            }
            params = original.block().hfParameters();
            long total = params.values().stream()
                    .mapToLong(p -> p.getArray().size() * 4)
                    .sum();
            JsonNode index =
                    JSON.readTree(dir.resolve("model.safetensors.index.json").toFile());
            assertEquals(total, index.path("metadata").path("total_size").asLong());
            JsonNode map = index.path("weight_map");
            List<String> keys = new ArrayList<>();
            map.fieldNames().forEachRemaining(keys::add);
            assertEquals(new ArrayList<>(new TreeSet<>(params.keySet())), keys, "every tensor, names sorted");
            TreeSet<String> files = new TreeSet<>();
            map.forEach(file -> files.add(file.asText()));
            int n = files.size();
            assertTrue(n > 2, n + " shards");
            for (int i = 1; i <= n; i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i, n);
                assertTrue(files.contains(name), name + " in " + files);
                try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve(name))) {
                    long bytes = reader.tensors().values().stream()
                            .mapToLong(TensorInfo::byteLength)
                            .sum();
                    assertTrue(bytes <= limit || reader.tensors().size() == 1, name + ": " + bytes + " bytes");
                }
            }
        }
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
    }

    /** A job declares its longest sequence; a shorter Mistral window is refused at load, naming file and values. */
    @Test
    void aWindowShorterThanTheJobsSequencesIsRefusedNamingTheFile() {
        Path dir = tmp.resolve("mistral");
        try (LanguageModel lm = LanguageModel.create(TestModels.mistral(40, 16), 1)) {
            HfCheckpoint.save(lm, dir, null);
        }
        HfCheckpoint.requireWithinSlidingWindow(dir, 16, "seq_len");
        ModelConfigException e = assertThrows(
                ModelConfigException.class, () -> HfCheckpoint.requireWithinSlidingWindow(dir, 32, "seq_len"));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": sliding_window=16"), e.getMessage());
        assertTrue(e.getMessage().contains("seq_len=32"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void rewardModelsSaveAsSequenceClassificationAndLoadIdentically(LlamaConfig config) throws IOException {
        Path dir = tmp.resolve("rm");
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(config, 24), 25);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            float[] before = rm.rewards(m.create(IDS), m.create(MASK)).toFloatArray();
            HfCheckpoint.saveRewardModel(rm, dir, null, 0);
            try (RewardModel loaded = HfCheckpoint.loadRewardModel(dir, null)) {
                assertEquals(
                        0f,
                        TestModels.maxAbsDiff(
                                before,
                                loaded.rewards(m.create(IDS), m.create(MASK)).toFloatArray()));
            }
        }
        assertEquals(
                config.family().sequenceClassificationArchitecture(),
                JSON.readTree(dir.resolve("config.json").toFile())
                        .path("architectures")
                        .path(0)
                        .asText());
    }
}
