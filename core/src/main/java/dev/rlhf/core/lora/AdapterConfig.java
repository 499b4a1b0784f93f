package dev.rlhf.core.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.lora.LoraModel.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter ({@code LoraConfig} as {@code save_pretrained} writes it:
 * keys sorted, {@code inference_mode: true}). Reading accepts what this suite computes exactly and refuses the rest
 * with the file and key named: another {@code peft_type}, {@code bias} other than {@code "none"}, DoRA, {@code
 * fan_in_fan_out}, per-layer rank or alpha patterns, layer subsets, regular-expression {@code target_modules} (the
 * string {@code "all-linear"} is accepted and means every linear but the head, as in PEFT), and the variants that
 * compute something else (QA-LoRA, activated LoRA, Arrow, BD-LoRA, layer replication). Keys it does not know are
 * ignored, as PEFT ignores them.
 */
public record AdapterConfig(
        LoraSettings settings, TaskType taskType, String baseModelNameOrPath, List<String> modulesToSave) {

    public static final String FILE = "adapter_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> JSON_KEYS = Map.of("alpha", "lora_alpha", "dropout", "lora_dropout");
    private static final List<String> HEADS = List.of("score", "classifier");
    /** Variants that change what the adapter computes; initialisation-only keys (loftq, eva, corda) are ignored. */
    private static final List<String> MUST_BE_FALSE = List.of("use_dora", "fan_in_fan_out", "lora_bias", "use_qalora");

    private static final List<String> MUST_BE_EMPTY = List.of(
            "layers_to_transform",
            "rank_pattern",
            "alpha_pattern",
            "exclude_modules",
            "trainable_token_indices",
            "target_parameters",
            "layer_replication",
            "alora_invocation_tokens",
            "arrow_config",
            "use_bdlora");

    public AdapterConfig {
        modulesToSave = List.copyOf(modulesToSave);
    }

    /** The JSON text, keys sorted as PEFT writes them. */
    public String toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.putObject("alpha_pattern");
        root.putNull("auto_mapping");
        root.put("base_model_name_or_path", baseModelNameOrPath);
        root.put("bias", "none");
        root.put("fan_in_fan_out", false);
        root.put("inference_mode", true);
        root.put("init_lora_weights", true);
        root.putNull("layers_pattern");
        root.putNull("layers_to_transform");
        double alpha = settings.alpha();
        root.set("lora_alpha", alpha == Math.rint(alpha) ? f.numberNode((long) alpha) : f.numberNode(alpha));
        root.put("lora_dropout", settings.dropout());
        if (modulesToSave.isEmpty()) {
            root.putNull("modules_to_save");
        } else {
            modulesToSave.forEach(root.putArray("modules_to_save")::add);
        }
        root.put("peft_type", "LORA");
        root.put("r", settings.r());
        root.putObject("rank_pattern");
        root.putNull("revision");
        settings.targetModules().forEach(root.putArray("target_modules")::add);
        root.put("task_type", taskType.name());
        root.put("use_dora", false);
        root.put("use_rslora", settings.useRslora());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root); // keys put in sorted order
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + FILE, e);
        }
    }

    /** Reads and checks {@code file}; every error names it and the key. */
    public static AdapterConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CheckpointException.at(
                    file, "not found (a PEFT adapter is adapter_config.json + adapter_model.safetensors)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw CheckpointException.io(file, "cannot parse", e);
        }
        return new Reader(file, root).read();
    }

    /** Reads one file's keys, naming the file and the key in every error. */
    private record Reader(Path file, JsonNode root) {

        AdapterConfig read() {
            String peftType = root.path("peft_type").asText("");
            if (!peftType.equals("LORA")) {
                throw fail("peft_type", "'" + peftType + "' is not supported; only LORA");
            }
            TaskType task = taskType();
            String bias = root.path("bias").asText("none");
            if (!bias.equals("none")) {
                throw fail("bias", "'" + bias + "' is not supported; only \"none\" (no trained biases)");
            }
            MUST_BE_FALSE.forEach(key -> {
                if (root.path(key).asBoolean(false)) {
                    throw fail(key, "true is not supported");
                }
            });
            MUST_BE_EMPTY.forEach(key -> {
                JsonNode value = root.path(key);
                if (!value.isMissingNode() && !value.isNull() && !value.isEmpty()) {
                    throw fail(key, value + " is not supported; only null or empty");
                }
            });
            List<String> modulesToSave = modulesToSave(task);
            LoraSettings settings;
            try {
                settings = new LoraSettings(
                        integer("r"),
                        number("lora_alpha", 8),
                        number("lora_dropout", 0),
                        targetModules(),
                        root.path("use_rslora").asBoolean(false));
            } catch (LoraSettings.InvalidSetting e) {
                throw fail(JSON_KEYS.getOrDefault(e.field(), e.field()), e.problem());
            }
            JsonNode base = root.path("base_model_name_or_path");
            return new AdapterConfig(settings, task, base.isTextual() ? base.asText() : null, modulesToSave);
        }

        private TaskType taskType() {
            String task = root.path("task_type").asText("");
            try {
                return TaskType.valueOf(task);
            } catch (IllegalArgumentException e) {
                throw fail("task_type", "'" + task + "' is not supported; only CAUSAL_LM and SEQ_CLS");
            }
        }

        private List<String> modulesToSave(TaskType task) {
            List<String> names = new ArrayList<>();
            root.path("modules_to_save").forEach(n -> names.add(n.asText()));
            Set<String> allowed = task == TaskType.SEQ_CLS ? Set.copyOf(HEADS) : Set.of();
            for (String name : names) {
                if (!allowed.contains(name)) {
                    throw fail(
                            "modules_to_save", "'" + name + "' is not supported; only a SEQ_CLS adapter's head, score");
                }
            }
            return task == TaskType.SEQ_CLS ? List.of("score") : List.of();
        }

        private List<String> targetModules() {
            JsonNode node = root.path("target_modules");
            if (node.isTextual() && node.asText().equals("all-linear")) {
                return LoraSettings.LINEARS;
            }
            if (!node.isArray()) {
                throw fail("target_modules", "must be a list of module names or \"all-linear\", got " + node);
            }
            List<String> names = new ArrayList<>();
            node.forEach(n -> names.add(n.asText()));
            return names;
        }

        private int integer(String key) {
            JsonNode node = root.path(key);
            if (!node.isIntegralNumber()) {
                throw fail(key, "must be an integer, got " + node);
            }
            return node.asInt();
        }

        private double number(String key, double absent) {
            JsonNode node = root.path(key);
            if (node.isMissingNode() || node.isNull()) {
                return absent;
            }
            if (!node.isNumber()) {
                throw fail(key, "must be a number, got " + node);
            }
            return node.asDouble();
        }

        private CheckpointException fail(String key, String problem) {
            return CheckpointException.at(file, "field '" + key + "': " + problem);
        }
    }
}
