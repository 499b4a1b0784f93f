package dev.rlhf.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Rotary inverse frequencies with {@code rope_scaling}, against values worked out by hand and a second derivation. */
class RopeScalingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * E = 16, theta = 10^4: f_i = 10^(-i/2), wavelengths 2 pi / f_i = 6.3, 19.9, 62.8, 198.7, 628, ... With
     * original 256, low 1, high 8, factor 8: w &lt; 32 kept (i = 0, 1), w &gt; 256 divided by 8 (i &ge; 4), and in
     * between smoothed: for i = 2, s = (256 * 0.1 / (2 pi) - 1) / 7 = 0.4391952, so f = 0.1 * ((1 - s) / 8 + s) =
     * 0.05092958; for i = 3, s = 0.0412040 and f = 0.005092958.
     */
    @Test
    void llama3KeepsHighFrequenciesDividesLowOnesAndSmoothsTheBand() {
        float[] f = RotaryEmbedding.inverseFrequencies(16, 10000.0, new RopeScaling.Llama3(8.0, 1.0, 8.0, 256));
        float[] byHand = {
            1f, 0.31622776f, 0.05092958f, 0.005092958f, 0.00125f, 0.00039528470f, 0.000125f, 0.000039528470f
        };
        assertEquals(8, f.length);
        for (int i = 0; i < f.length; i++) {
            assertEquals(byHand[i], f[i], byHand[i] * 2e-6, "f_" + i);
        }
    }

    /** Llama 3.1 8B's own settings (E = 128, theta = 5e5, factor 8, 1, 4, 8192) against a float64 derivation. */
    @Test
    void llama3MatchesAnIndependentDerivationAtLlama31Settings() {
        float[] f = RotaryEmbedding.inverseFrequencies(128, 500000.0, new RopeScaling.Llama3(8.0, 1.0, 4.0, 8192));
        int kept = 0;
        int smoothed = 0;
        int divided = 0;
        for (int i = 0; i < 64; i++) {
            double base = Math.pow(500000.0, -2.0 * i / 128);
            double wavelength = 2 * Math.PI / base;
            double expected;
            if (wavelength < 8192 / 4.0) {
                expected = base;
                kept++;
            } else if (wavelength > 8192 / 1.0) {
                expected = base / 8;
                divided++;
            } else {
                double s = (8192 / wavelength - 1) / (4 - 1);
                expected = (1 - s) * base / 8 + s * base;
                smoothed++;
            }
            assertEquals(expected, f[i], expected * 2e-6, "f_" + i);
        }
        assertTrue(kept > 0 && smoothed > 0 && divided > 0, kept + " kept, " + smoothed + " smoothed, " + divided);
    }

    @Test
    void linearDividesEveryFrequencyByTheFactor() {
        float[] plain = RotaryEmbedding.inverseFrequencies(8, 100.0, RopeScaling.NONE);
        // E = 8, theta = 100: 100^(-i/4) = 1, 0.31622776, 0.1, 0.031622776
        assertArrayEquals(new float[] {1f, 0.31622776f, 0.1f, 0.031622776f}, plain, 1e-7f);
        float[] linear = RotaryEmbedding.inverseFrequencies(8, 100.0, new RopeScaling.Linear(4.0));
        assertArrayEquals(new float[] {0.25f, 0.07905694f, 0.025f, 0.007905694f}, linear, 1e-8f);
    }

    @Test
    void scaledAnglesReachTheModel() {
        LlamaConfig config = TestModels.llama3Rope(10);
        // E = 8, theta = 1e4, original 128, low 1, high 4: s = (128 * 0.1 / (2 pi) - 1) / 3 = 0.3457
        double s = (128 * 0.1 / (2 * Math.PI) - 1) / 3;
        float[] expected = {1f, (float) ((1 - s) * 0.1 / 8 + s * 0.1), 0.00125f, 0.000125f};
        assertArrayEquals(expected, config.rotaryInverseFrequencies(), 1e-7f);
    }

    @Test
    void parsesRopeTypeOrTheOlderTypeKeyAndWritesItBack() throws Exception {
        RopeScaling llama3 = parse("{\"rope_type\": \"llama3\", \"factor\": 32.0, \"low_freq_factor\": 1.0,"
                + " \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}");
        assertEquals(new RopeScaling.Llama3(32.0, 1.0, 4.0, 8192), llama3);
        assertEquals(new RopeScaling.Linear(2.0), parse("{\"type\": \"linear\", \"factor\": 2.0}"));
        assertEquals(RopeScaling.NONE, parse("null"));
        assertEquals(RopeScaling.NONE, parse("{\"rope_type\": \"default\"}"));
        assertEquals(llama3, RopeScaling.parse(llama3.toJson()));
        assertEquals("llama3", llama3.toJson().path("rope_type").asText());
    }

    /** transformers 5 spells rope_theta and the scaling as one {@code rope_parameters} object. */
    @Test
    void readsTransformers5RopeParameters() throws Exception {
        ObjectNode json = TestModels.llama3Rope(10).toJson();
        json.remove("rope_scaling");
        json.remove("rope_theta");
        ObjectNode rope = (ObjectNode) TestModels.llama3Rope(10).ropeScaling().toJson();
        rope.put("rope_theta", 500000.0);
        json.set("rope_parameters", rope);
        LlamaConfig parsed = LlamaConfig.parse(json, Path.of("config.json"));
        assertEquals(500000.0, parsed.ropeTheta());
        assertEquals(TestModels.llama3Rope(10).ropeScaling(), parsed.ropeScaling());
        json.set("rope_parameters", JSON.readTree("{\"rope_type\": \"default\", \"rope_theta\": 1000000.0}"));
        assertEquals(1e6, LlamaConfig.parse(json, Path.of("config.json")).ropeTheta());
        assertEquals(
                RopeScaling.NONE,
                LlamaConfig.parse(json, Path.of("config.json")).ropeScaling());
    }

    @Test
    void otherRopeTypesAndBrokenFieldsAreRefusedByName() throws Exception {
        for (String type : new String[] {"yarn", "longrope", "dynamic", "su"}) {
            ModelConfigException e =
                    assertThrows(ModelConfigException.class, () -> parse("{\"rope_type\": \"" + type + "\"}"));
            assertTrue(e.getMessage().contains("rope_type '" + type + "'"), e.getMessage());
        }
        ModelConfigException missing =
                assertThrows(ModelConfigException.class, () -> parse("{\"rope_type\": \"llama3\", \"factor\": 8.0}"));
        assertTrue(missing.getMessage().contains("rope_scaling.low_freq_factor"), missing.getMessage());

        ObjectNode config = (ObjectNode) JSON.readTree("{\"model_type\": \"llama\", \"vocab_size\": 10,"
                + " \"hidden_size\": 8, \"intermediate_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
                + " \"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0}}");
        Path file = Path.of("models", "x", "config.json");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> LlamaConfig.parse(config, file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("'yarn'"), e.getMessage());
    }

    private static RopeScaling parse(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return RopeScaling.parse(node);
    }
}
