package dev.rlhf.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code rope_scaling} section of a {@code config.json}: how the rotary inverse frequencies of
 * {@link RotaryEmbedding} are rescaled for a longer context. A closed set; any other {@code rope_type} (yarn,
 * longrope, dynamic, ...) is refused by {@link #parse}, never approximated.
 *
 * <p>Arithmetic is float32, operation for operation as transformers' {@code modeling_rope_utils} does it on a
 * float32 {@code inv_freq} tensor (Python scalars rounded to float32, {@code c / t} as {@code t.reciprocal() * c}),
 * so that the frequencies round as transformers' do rather than merely come close.
 */
public sealed interface RopeScaling {

    /** No scaling: {@code rope_scaling} absent, null, or {@code rope_type: default}. */
    RopeScaling NONE = new None();

    /** Rescales the default inverse frequencies {@code theta^(-2i/E)}, one per rotated pair. */
    float[] rescale(float[] inverseFrequency);

    /** The {@code rope_scaling} value transformers reads back as this scaling; null for none. */
    JsonNode toJson();

    /** No rescaling. */
    record None() implements RopeScaling {
        @Override
        public float[] rescale(float[] inverseFrequency) {
            return inverseFrequency.clone();
        }

        @Override
        public JsonNode toJson() {
            return JsonNodeFactory.instance.nullNode();
        }
    }

    /** Position interpolation (Chen et al., 2023), {@code rope_type: linear}: {@code inv_freq / factor}. */
    record Linear(double factor) implements RopeScaling {
        public Linear {
            positive("factor", factor);
        }

        @Override
        public float[] rescale(float[] inverseFrequency) {
            float[] out = new float[inverseFrequency.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = inverseFrequency[i] / (float) factor;
            }
            return out;
        }

        @Override
        public JsonNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("rope_type", "linear");
            node.put("factor", factor);
            return node;
        }
    }

    /**
     * Llama 3.1's frequency-dependent scaling, {@code rope_type: llama3}. With wavelength {@code w = 2 pi / f} of
     * inverse frequency f, {@code lowW = original / low_freq_factor} and {@code highW = original / high_freq_factor}:
     *
     * <pre>
     *   w &lt; highW            f                                  (high frequencies kept)
     *   w &gt; lowW             f / factor                         (low frequencies interpolated)
     *   otherwise           (1 - s) * f / factor + s * f,   s = (original / w - low) / (high - low)
     * </pre>
     */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
            implements RopeScaling {
        public Llama3 {
            positive("factor", factor);
            positive("low_freq_factor", lowFreqFactor);
            positive("original_max_position_embeddings", originalMaxPositionEmbeddings);
            if (!(highFreqFactor > lowFreqFactor)) {
                throw new ModelConfigException("rope_scaling.high_freq_factor must exceed low_freq_factor="
                        + lowFreqFactor + ", got " + highFreqFactor);
            }
        }

        @Override
        public float[] rescale(float[] inverseFrequency) {
            // each float cast below is where torch rounds a Python scalar to the tensor's float32
            float lowWavelength = (float) (originalMaxPositionEmbeddings / lowFreqFactor);
            float highWavelength = (float) (originalMaxPositionEmbeddings / highFreqFactor);
            float f32Factor = (float) factor;
            float[] out = new float[inverseFrequency.length];
            for (int i = 0; i < out.length; i++) {
                float f = inverseFrequency[i];
                float wavelength = (1f / f) * (float) (2 * Math.PI); // torch: 2 * pi / t is t.reciprocal() * (2 pi)
                if (wavelength < highWavelength) {
                    out[i] = f;
                } else if (wavelength > lowWavelength) {
                    out[i] = f / f32Factor;
                } else {
                    float s = ((1f / wavelength) * originalMaxPositionEmbeddings - (float) lowFreqFactor)
                            / (float) (highFreqFactor - lowFreqFactor);
                    out[i] = (1 - s) * f / f32Factor + s * f;
                }
            }
            return out;
        }

        @Override
        public JsonNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("rope_type", "llama3");
            node.put("factor", factor);
            node.put("low_freq_factor", lowFreqFactor);
            node.put("high_freq_factor", highFreqFactor);
            node.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
            return node;
        }
    }

    /**
     * Reads {@code rope_scaling}: its {@code rope_type} (or the older key {@code type}) must be {@code default},
     * {@code linear} or {@code llama3}; errors name the key and the value.
     */
    static RopeScaling parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new ModelConfigException("rope_scaling / rope_parameters must be an object or null, got " + node);
        }
        JsonNode typeNode = node.hasNonNull("rope_type") ? node.get("rope_type") : node.get("type");
        String type = typeNode == null || typeNode.isNull() ? "default" : typeNode.asText();
        return switch (type) {
            case "default" -> NONE;
            case "linear" -> new Linear(number(node, "factor"));
            case "llama3" ->
                new Llama3(
                        number(node, "factor"), number(node, "low_freq_factor"), number(node, "high_freq_factor"), (int)
                                number(node, "original_max_position_embeddings"));
            default ->
                throw new ModelConfigException("rope_scaling.rope_type '" + type
                        + "' is not supported (supported: default, linear, llama3); refusing rather than approximating "
                        + node);
        };
    }

    private static double number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isNumber()) {
            throw new ModelConfigException("rope_scaling." + key + " must be a number, got " + value);
        }
        return value.doubleValue();
    }

    private static void positive(String key, double value) {
        if (!(value > 0)) {
            throw new ModelConfigException("rope_scaling." + key + " must be positive, got " + value);
        }
    }
}
