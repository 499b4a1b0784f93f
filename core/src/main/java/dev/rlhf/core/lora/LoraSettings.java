package dev.rlhf.core.lora;

import dev.rlhf.core.model.LlamaConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a LoRA adapter is (Hu et al., "LoRA: Low-Rank Adaptation of Large Language Models", 2021): rank {@code r},
 * {@code alpha}, the dropout on the adapter's input, the linears it adapts, and how the update is scaled:
 *
 * <pre>
 *   y = W x + s B A dropout(x),   s = alpha / r,   or s = alpha / sqrt(r) with use_rslora (Kalajdzievski, 2023)
 * </pre>
 *
 * <p>{@code target_modules} are the short names of the decoder's linears, as PEFT and transformers name them; the
 * default is every linear of attention and MLP, all seven. Errors are {@link InvalidSetting}s naming the field.
 */
public record LoraSettings(int r, double alpha, double dropout, List<String> targetModules, boolean useRslora) {

    /** Every linear of a decoder layer a LoRA adapter can target, in the order of a layer. */
    public static final List<String> LINEARS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public LoraSettings {
        if (r < 1) {
            throw new InvalidSetting("r", "must be at least 1, got " + r);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new InvalidSetting("alpha", "must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidSetting("dropout", "must be in [0, 1), got " + dropout);
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new InvalidSetting("target_modules", "must name at least one of " + LINEARS);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String name : targetModules) {
            if (!LINEARS.contains(name)) {
                throw new InvalidSetting(
                        "target_modules", "'" + name + "' is not a linear of the model; known: " + LINEARS);
            }
            if (!seen.add(name)) {
                throw new InvalidSetting("target_modules", "'" + name + "' is listed twice");
            }
        }
        targetModules = List.copyOf(targetModules);
    }

    /** Rank r and alpha on every linear of attention and MLP, no dropout, plain alpha / r scaling. */
    public static LoraSettings of(int r, double alpha) {
        return new LoraSettings(r, alpha, 0, LINEARS, false);
    }

    /** The factor s of the update: alpha / r, or alpha / sqrt(r) with {@code use_rslora}. */
    public float scale() {
        return (float) (useRslora ? alpha / Math.sqrt(r) : alpha / r);
    }

    public boolean targets(String module) {
        return targetModules.contains(module);
    }

    /**
     * The adapter parameters these settings add to a model of {@code config}, without building it: per layer, r (N +
     * M) for each targeted linear of N inputs and M outputs (D hidden, F intermediate, H and K heads of size E).
     */
    public long parameterCount(LlamaConfig config) {
        long d = config.hiddenSize();
        long f = config.intermediateSize();
        long q = (long) config.numAttentionHeads() * config.headDim();
        long kv = (long) config.numKeyValueHeads() * config.headDim();
        Map<String, Long> inPlusOut = Map.of(
                "q_proj", d + q,
                "k_proj", d + kv,
                "v_proj", d + kv,
                "o_proj", q + d,
                "gate_proj", d + f,
                "up_proj", d + f,
                "down_proj", f + d);
        long perLayer = targetModules.stream().mapToLong(inPlusOut::get).sum() * r;
        return perLayer * config.numHiddenLayers();
    }

    /** A setting out of range; {@link #field()} is its name, e.g. {@code r} or {@code target_modules}. */
    public static final class InvalidSetting extends IllegalArgumentException {
        private final String field;
        private final String problem;

        InvalidSetting(String field, String problem) {
            super(field + ": " + problem);
            this.field = field;
            this.problem = problem;
        }

        public String field() {
            return field;
        }

        public String problem() {
            return problem;
        }
    }
}
