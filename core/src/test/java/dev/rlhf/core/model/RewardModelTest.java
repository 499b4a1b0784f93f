package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.checkpoint.SafetensorsReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardModelTest {

    @TempDir
    Path tmp;

    @Test
    void rewardIsReadAtTheLastRealTokenWhateverThePadding() {
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1), 2);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            float alone = rm.rewards(m.create(new long[][] {{4, 8, 15, 16}}), m.create(new long[][] {{1, 1, 1, 1}}))
                    .toFloatArray()[0];
            long[][] ids = {{0, 0, 4, 8, 15, 16}, {4, 8, 15, 16, 0, 0}, {23, 32, 4, 8, 15, 16}};
            long[][] mask = {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}};
            float[] batch = rm.rewards(m.create(ids), m.create(mask)).toFloatArray();
            assertEquals(alone, batch[0], 1e-5, "left padded");
            assertEquals(alone, batch[1], 1e-5, "right padded");
            assertTrue(Math.abs(alone - batch[2]) > 1e-6, "a different context gives a different reward");
        }
    }

    @Test
    void savesAsSequenceClassificationAndLoadsBackIdentically() throws Exception {
        Path dir = tmp.resolve("rm");
        long[][] ids = {{3, 1, 4, 1, 5}};
        long[][] mask = {{1, 1, 1, 1, 1}};
        float before;
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.qwen2(40), 1), 5);
                NDManager m = rm.languageModel().manager().newSubManager()) {
            before = rm.rewards(m.create(ids), m.create(mask)).getFloat(0);
            HfCheckpoint.saveRewardModel(rm, dir, null, 1);
        }
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals(
                "Qwen2ForSequenceClassification",
                config.path("architectures").path(0).asText());
        assertEquals(1, config.path("num_labels").asInt());
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve("model.safetensors"))) {
            assertTrue(reader.tensors().containsKey("score.weight"));
            assertFalse(reader.tensors().containsKey("lm_head.weight"));
        }
        try (RewardModel loaded = HfCheckpoint.loadRewardModel(dir, null);
                NDManager m = loaded.languageModel().manager().newSubManager()) {
            assertEquals(before, loaded.rewards(m.create(ids), m.create(mask)).getFloat(0), 0f);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> HfCheckpoint.load(dir));
        assertTrue(e.getMessage().contains("reward model"), e.getMessage());
    }
}
