package dev.rlhf.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoraSettingsTest {

    @Test
    void defaultsTargetEveryLinearOfAttentionAndMlp() {
        LoraSettings s = LoraSettings.of(16, 32);
        assertEquals(
                List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
                s.targetModules());
        assertEquals(2f, s.scale(), 0f);
    }

    @Test
    void rsLoraScalesByAlphaOverSqrtR() {
        LoraSettings s = new LoraSettings(16, 32, 0.05, List.of("q_proj", "v_proj"), true);
        assertEquals(8f, s.scale(), 1e-6f);
    }

    @Test
    void errorsNameTheField() {
        assertField("r", () -> new LoraSettings(0, 16, 0, LoraSettings.LINEARS, false));
        assertField("alpha", () -> new LoraSettings(8, -1, 0, LoraSettings.LINEARS, false));
        assertField("alpha", () -> new LoraSettings(8, Double.NaN, 0, LoraSettings.LINEARS, false));
        assertField("dropout", () -> new LoraSettings(8, 16, 1, LoraSettings.LINEARS, false));
        assertField("target_modules", () -> new LoraSettings(8, 16, 0, List.of(), false));
        assertField("target_modules", () -> new LoraSettings(8, 16, 0, List.of("q_proj", "lm_head"), false));
        assertField("target_modules", () -> new LoraSettings(8, 16, 0, List.of("q_proj", "q_proj"), false));
    }

    private static void assertField(String field, Runnable build) {
        LoraSettings.InvalidSetting e = assertThrows(LoraSettings.InvalidSetting.class, build::run);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    }
}
