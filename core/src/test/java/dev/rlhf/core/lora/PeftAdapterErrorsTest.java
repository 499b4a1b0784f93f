package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An adapter this suite cannot apply exactly is refused with the file and the field or tensor named. */
class PeftAdapterErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path good;

    @BeforeEach
    void saveAGoodAdapter() {
        good = tmp.resolve("good");
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1)) {
            PeftAdapter.save(LoraModel.attach(lm, LoraSettings.of(4, 8), 3), good, "base");
        }
    }

    @Test
    void unsupportedSettingsNameTheFileAndField() throws Exception {
        assertConfigError("bias", c -> c.put("bias", "all"));
        assertConfigError("use_dora", c -> c.put("use_dora", true));
        assertConfigError("fan_in_fan_out", c -> c.put("fan_in_fan_out", true));
        assertConfigError("use_qalora", c -> c.put("use_qalora", true));
        assertConfigError(
                "alora_invocation_tokens",
                c -> c.putArray("alora_invocation_tokens").add(7));
        assertConfigError("peft_type", c -> c.put("peft_type", "IA3"));
        assertConfigError("task_type", c -> c.put("task_type", "SEQ_2_SEQ_LM"));
        assertConfigError("r", c -> c.put("r", 0));
        assertConfigError("lora_alpha", c -> c.put("lora_alpha", -2));
        assertConfigError("lora_dropout", c -> c.put("lora_dropout", 1.5));
        assertConfigError(
                "layers_to_transform", c -> c.putArray("layers_to_transform").add(0));
        assertConfigError("rank_pattern", c -> c.putObject("rank_pattern").put("q_proj", 8));
        assertConfigError("modules_to_save", c -> c.putArray("modules_to_save").add("lm_head"));
        assertConfigError(
                "target_modules",
                c -> c.putArray("target_modules").add("q_proj").add("lm_head"));
        assertConfigError("target_modules", c -> c.put("target_modules", ".*attn.*"));
    }

    @Test
    void aCausalLmAdapterDoesNotFitARewardModel() {
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1), 2)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> PeftAdapter.load(rm, good));
            assertMentions(e, good.resolve("adapter_config.json").toString(), "'task_type'", "SEQ_CLS");
        }
    }

    @Test
    void anAdapterForAnotherShapeNamesTheTensorAndLeavesTheModelAlone() {
        try (LanguageModel other = LanguageModel.create(TestModels.qwen3(40), 1)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> PeftAdapter.load(other, good));
            assertMentions(e, "adapter_model.safetensors", "tensor 'base_model.model.model.layers.", "has shape");
            LoraModel.linears(other.block()).values().forEach(l -> assertNull(l.adapter()));
            other.block().hfParameters().values().forEach(p -> assertTrue(p.requiresGradient()));
        }
    }

    @Test
    void aMissingWeightsFileIsNamed() throws Exception {
        Files.delete(good.resolve("adapter_model.safetensors"));
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> PeftAdapter.load(lm, good));
            assertMentions(e, "adapter_model.safetensors");
        }
    }

    @Test
    void aMissingConfigIsNamed() {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1)) {
            CheckpointException e =
                    assertThrows(CheckpointException.class, () -> PeftAdapter.load(lm, tmp.resolve("nothing")));
            assertMentions(e, "adapter_config.json", "not found");
        }
    }

    private void assertConfigError(String field, Consumer<ObjectNode> edit) throws Exception {
        Path dir = tmp.resolve("bad-" + field + "-" + System.nanoTime());
        Files.createDirectories(dir);
        ObjectNode config =
                (ObjectNode) JSON.readTree(good.resolve("adapter_config.json").toFile());
        edit.accept(config);
        Files.writeString(dir.resolve("adapter_config.json"), JSON.writeValueAsString(config));
        Files.copy(good.resolve("adapter_model.safetensors"), dir.resolve("adapter_model.safetensors"));
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(40, 4, 2, false), 1)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> PeftAdapter.load(lm, dir));
            assertMentions(e, dir.resolve("adapter_config.json").toString(), "field '" + field + "'");
        }
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }
}
