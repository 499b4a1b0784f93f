package dev.rlhf.core.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.ModelConfigException;
import dev.rlhf.core.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generation_config.json}: transformers' defaults, what explicit settings override, what is written. */
class GenerationDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void llama3InstructFileSamplesAndStopsOnEveryEos() throws IOException {
        Files.writeString(
                dir.resolve("generation_config.json"),
                "{\"bos_token_id\": 128000, \"do_sample\": true, \"eos_token_id\": [128001, 128008, 128009],"
                        + " \"temperature\": 0.6, \"top_p\": 0.9, \"transformers_version\": \"4.45.0\"}");
        GenerationDefaults d = GenerationDefaults.read(dir);
        assertEquals(List.of(128001L, 128008L, 128009L), d.eosTokenIds());
        assertEquals(OptionalLong.of(128000), d.bosTokenId());
        assertEquals(0.6, d.temperatureOr(null));
        assertEquals(0.9, d.topPOr(null));
        assertEquals(50, d.topKOr(null), "transformers' top_k default when sampling");
        assertEquals(0.0, d.temperatureOr(0.0), "an explicit setting wins: greedy");
        assertEquals(3, d.topKOr(3));
        assertEquals(1.0, d.topPOr(1.0));
        assertEquals(Set.of(7L, 128001L, 128008L, 128009L), d.stopTokenIds(Set.of(7L)));
    }

    @Test
    void withoutDoSampleOrWithoutAFileDecodingIsGreedy() throws IOException {
        assertEquals(GenerationDefaults.NONE, GenerationDefaults.read(dir));
        assertEquals(0.0, GenerationDefaults.NONE.temperatureOr(null));
        assertEquals(0, GenerationDefaults.NONE.topKOr(null));
        assertEquals(1.0, GenerationDefaults.NONE.topPOr(null));
        Files.writeString(
                dir.resolve("generation_config.json"),
                "{\"eos_token_id\": 2, \"pad_token_id\": 0, \"temperature\": 0.7, \"top_k\": 20}");
        GenerationDefaults d = GenerationDefaults.read(dir);
        assertEquals(0.0, d.temperatureOr(null), "do_sample absent: greedy whatever the temperature");
        assertEquals(0, d.topKOr(null));
        assertEquals(0.7, d.temperatureOr(0.7), "explicit temperature samples");
        assertEquals(List.of(2L), d.eosTokenIds());
        assertEquals(OptionalLong.of(0), d.padTokenId());
    }

    @Test
    void badValuesNameTheFileAndKey() throws IOException {
        Path file = Files.writeString(dir.resolve("generation_config.json"), "{\"top_p\": \"high\"}");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> GenerationDefaults.read(dir));
        assertTrue(e.getMessage().startsWith(file + ": top_p must be a number"), e.getMessage());
        Files.writeString(file, "{\"eos_token_id\": [1, \"x\"]}");
        e = assertThrows(ModelConfigException.class, () -> GenerationDefaults.read(dir));
        assertTrue(e.getMessage().contains("eos_token_id"), e.getMessage());
    }

    @Test
    void savedModelsWriteTheirSpecialIdsAndGreedyDecoding() {
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen3(40), 1)) {
            HfCheckpoint.save(lm, dir.resolve("m"), null);
        }
        GenerationDefaults written = GenerationDefaults.read(dir.resolve("m"));
        assertEquals(List.of(1L), written.eosTokenIds());
        assertEquals(OptionalLong.of(0), written.bosTokenId());
        assertEquals(0.0, written.temperatureOr(null));
        GenerationDefaults sampled =
                new GenerationDefaults(List.of(5L, 6L), OptionalLong.of(0), OptionalLong.empty(), true, 0.8, 40, 0.95);
        assertEquals(
                sampled.toJson().toString(),
                "{\"eos_token_id\":[5,6],\"pad_token_id\":0,\"do_sample\":true,"
                        + "\"temperature\":0.8,\"top_k\":40,\"top_p\":0.95}");
    }
}
