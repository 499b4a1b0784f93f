package dev.rlhf.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.AtomicDirectory;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.checkpoint.SafetensorsReader;
import dev.rlhf.core.checkpoint.SafetensorsWriter;
import dev.rlhf.core.checkpoint.TensorInfo;
import dev.rlhf.core.lora.LoraModel.TaskType;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.ScalarHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A LoRA adapter on disk in PEFT's layout, so that {@code PeftModel.from_pretrained(base, dir)} loads what this suite
 * trains and the other way round: {@code adapter_config.json} ({@link AdapterConfig}) and {@code
 * adapter_model.safetensors} holding only the adapter, F32.
 *
 * <p>Tensor names, as PEFT's {@code get_peft_model_state_dict} (src/peft/utils/save_and_load.py) makes them: the
 * {@code PeftModel} state-dict key ({@code base_model.model.<module>.lora_A.default.weight}) with the adapter name
 * removed, so {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight} (R, N) and {@code ...lora_B.weight}
 * (M, R). A {@code modules_to_save} module is saved under its own name with the wrapper's {@code
 * modules_to_save.default.} removed (in PEFT 0.7 by {@code key.replace("modules_to_save.", "")} and then the adapter
 * name; since the {@code AuxiliaryTrainingWrapper} refactor by {@code ModulesToSaveWrapper.adapter_state_dict}
 * returning the inner module's keys): {@code base_model.model.score.weight} (1, D).
 */
public final class PeftAdapter {

    public static final String WEIGHTS = "adapter_model.safetensors";

    private PeftAdapter() {}

    /** Writes {@code model}'s adapter into {@code dir} atomically (a previous one there is replaced whole). */
    public static void save(LoraModel model, Path dir, String baseModelNameOrPath) {
        AtomicDirectory.write(dir, tmp -> writeFiles(model, tmp, baseModelNameOrPath));
    }

    /** Writes the two files into an existing directory, e.g. a checkpoint being assembled by its own writer. */
    public static void writeFiles(LoraModel model, Path dir, String baseModelNameOrPath) throws IOException {
        AdapterConfig config =
                new AdapterConfig(model.settings(), model.taskType(), baseModelNameOrPath, model.modulesToSaveNames());
        Files.writeString(dir.resolve(AdapterConfig.FILE), config.toJson());
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        model.trainableParameters().forEach((name, p) -> tensors.put(name, p.getArray()));
        SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, Map.of());
    }

    /** Attaches the {@code CAUSAL_LM} adapter in {@code dir} to {@code lm}. */
    public static LoraModel load(LanguageModel lm, Path dir) {
        return load(dir, TaskType.CAUSAL_LM, lm.block(), Map.of(), s -> LoraModel.attach(lm, s, 0));
    }

    /** Attaches the {@code SEQ_CLS} adapter in {@code dir} to {@code rm}, whose {@code score} head it replaces. */
    public static LoraModel load(RewardModel rm, Path dir) {
        Map<String, Parameter> head =
                Map.of(LoraModel.PREFIX + ScalarHead.HF_NAME, rm.head().weight());
        return load(dir, TaskType.SEQ_CLS, rm.languageModel().block(), head, s -> LoraModel.attach(rm, s, 0));
    }

    /**
     * Copies the adapter in {@code dir} into {@code model}'s attached adapters, in place (a rollout worker following
     * the learner's policy versions: the base and the attached modules stay, only A, B and the saved modules change).
     * The adapter must have {@code model}'s settings and task type; everything is checked before anything is copied.
     */
    public static void update(LoraModel model, Path dir) {
        Path configFile = dir.resolve(AdapterConfig.FILE);
        AdapterConfig config = AdapterConfig.read(configFile);
        if (config.taskType() != model.taskType()) {
            throw CheckpointException.at(
                    configFile,
                    "field 'task_type': " + config.taskType() + " does not fit this model, which needs "
                            + model.taskType());
        }
        if (!config.settings().equals(model.settings())) {
            throw CheckpointException.at(
                    configFile,
                    "the adapter's settings " + config.settings() + " differ from the attached adapter's "
                            + model.settings());
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        model.trainableParameters()
                .forEach((name, p) -> shapes.put(name, p.getShape().getShape()));
        try (SafetensorsReader reader = SafetensorsReader.open(dir.resolve(WEIGHTS))) {
            checkTensors(reader, shapes);
            try (NoGrad noGrad = NoGrad.open()) {
                model.trainableParameters().forEach((name, p) -> copy(reader, name, p));
            }
        }
    }

    /** Reads {@code dir/adapter_config.json}. */
    public static AdapterConfig readConfig(Path dir) {
        return AdapterConfig.read(dir.resolve(AdapterConfig.FILE));
    }

    /**
     * Checks the config and every tensor's name and shape against the model before anything is attached, so that a
     * mismatched adapter leaves the model as it was.
     */
    private static LoraModel load(
            Path dir,
            TaskType expected,
            CausalLm block,
            Map<String, Parameter> heads,
            Function<LoraSettings, LoraModel> attach) {
        Path configFile = dir.resolve(AdapterConfig.FILE);
        AdapterConfig config = AdapterConfig.read(configFile);
        if (config.taskType() != expected) {
            throw CheckpointException.at(
                    configFile,
                    "field 'task_type': " + config.taskType() + " does not fit this model, which needs " + expected);
        }
        Map<String, long[]> shapes = expectedShapes(configFile, block, config.settings(), heads);
        Path weights = dir.resolve(WEIGHTS);
        try (SafetensorsReader reader = SafetensorsReader.open(weights)) {
            checkTensors(reader, shapes);
            LoraModel model = attach.apply(config.settings());
            try (NoGrad noGrad = NoGrad.open()) {
                model.trainableParameters().forEach((name, p) -> copy(reader, name, p));
            }
            return model;
        }
    }

    private static Map<String, long[]> expectedShapes(
            Path configFile, CausalLm block, LoraSettings settings, Map<String, Parameter> heads) {
        Map<String, LoraLinear> targets;
        try {
            targets = LoraModel.targets(block, settings);
        } catch (LoraSettings.InvalidSetting e) {
            throw CheckpointException.at(configFile, "field 'target_modules': " + e.problem());
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        targets.forEach((module, linear) -> {
            long[] w = linear.weight().getShape().getShape(); // (M, N)
            shapes.put(LoraModel.PREFIX + module + ".lora_A.weight", new long[] {settings.r(), w[1]});
            shapes.put(LoraModel.PREFIX + module + ".lora_B.weight", new long[] {w[0], settings.r()});
        });
        heads.forEach((name, p) -> shapes.put(name, p.getShape().getShape()));
        return shapes;
    }

    private static void checkTensors(SafetensorsReader reader, Map<String, long[]> shapes) {
        for (TensorInfo tensor : reader.tensors().values()) {
            long[] expected = shapes.get(tensor.name());
            if (expected == null) {
                throw CheckpointException.at(
                        reader.file(),
                        "unexpected tensor '" + tensor.name() + "' (not an adapter tensor of the target_modules in "
                                + AdapterConfig.FILE + " on this model)");
            }
            if (!Arrays.equals(expected, tensor.shape())) {
                throw CheckpointException.at(
                        reader.file(),
                        "tensor '" + tensor.name() + "' has shape " + Arrays.toString(tensor.shape())
                                + " but the model and " + AdapterConfig.FILE + " imply " + Arrays.toString(expected));
            }
        }
        TreeSet<String> missing = new TreeSet<>(shapes.keySet());
        missing.removeAll(reader.tensors().keySet());
        if (!missing.isEmpty()) {
            throw CheckpointException.at(
                    reader.file(),
                    "missing tensors " + missing.stream().limit(5).toList()
                            + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : ""));
        }
    }

    private static void copy(SafetensorsReader reader, String name, Parameter parameter) {
        reader.copyInto(name, parameter.getArray());
    }
}
