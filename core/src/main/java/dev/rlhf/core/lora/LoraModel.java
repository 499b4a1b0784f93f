package dev.rlhf.core.lora;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.CausalLm;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.ScalarHead;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LoRA adapters attached to a loaded model, PEFT's {@code get_peft_model(model, LoraConfig(...))}: every targeted
 * {@link LoraLinear} gets a fresh adapter, and the base parameters are frozen (no gradient, so no optimizer state).
 * Trainable are the adapters and, for a reward model, the {@code score} head (PEFT's {@code modules_to_save}).
 *
 * <p>Names are PEFT's as {@code save_pretrained} writes them: {@code base_model.model.} + the Hugging Face module name
 * + {@code .lora_A.weight} / {@code .lora_B.weight}, and {@code base_model.model.score.weight} for the head (see
 * {@link PeftAdapter}). Module names come from {@link CausalLm#hfParameters()}, the one place that names blocks.
 *
 * <p>{@link #disabled()} turns every adapter off for a while (the PPO reference: base weights, no second copy);
 * {@link #merge()} adds the updates into the base weights, e.g. before an export.
 */
public final class LoraModel {

    /** PEFT's prefix of every saved key: {@code PeftModel.base_model} (the LoraModel) and its {@code .model}. */
    public static final String PREFIX = "base_model.model.";

    /** PEFT's {@code task_type}: a causal LM, or a sequence classifier (the reward model, {@code num_labels=1}). */
    public enum TaskType {
        CAUSAL_LM,
        SEQ_CLS
    }

    private final LoraSettings settings;
    private final TaskType taskType;
    private final Map<String, LoraLinear> targets;
    private final Map<String, Parameter> adapterParameters;
    private final Map<String, Parameter> modulesToSave;
    private final List<Parameter> frozen; // the base parameters attaching froze, thawed by mergeAndUnload
    private final long baseParameterCount;

    private LoraModel(
            LoraSettings settings,
            TaskType taskType,
            Map<String, LoraLinear> targets,
            Map<String, Parameter> adapterParameters,
            Map<String, Parameter> modulesToSave,
            List<Parameter> frozen,
            long baseParameterCount) {
        this.settings = settings;
        this.taskType = taskType;
        this.targets = targets;
        this.adapterParameters = adapterParameters;
        this.modulesToSave = modulesToSave;
        this.frozen = frozen;
        this.baseParameterCount = baseParameterCount;
    }

    /** Fresh adapters on a causal LM; the same seed gives the same A matrices. */
    public static LoraModel attach(LanguageModel lm, LoraSettings settings, long seed) {
        return attach(lm.block(), lm.manager(), settings, seed, TaskType.CAUSAL_LM, Map.of(), lm.parameterCount());
    }

    /** Fresh adapters on a reward model's backbone; its {@code score} head stays trainable. */
    public static LoraModel attach(RewardModel rm, LoraSettings settings, long seed) {
        long count = rm.hfParameters().values().stream()
                .mapToLong(p -> p.getArray().size())
                .sum();
        Map<String, Parameter> head =
                Map.of(PREFIX + ScalarHead.HF_NAME, rm.head().weight());
        LanguageModel lm = rm.languageModel();
        return attach(lm.block(), lm.manager(), settings, seed, TaskType.SEQ_CLS, head, count);
    }

    private static LoraModel attach(
            CausalLm block,
            NDManager manager,
            LoraSettings settings,
            long seed,
            TaskType taskType,
            Map<String, Parameter> modulesToSave,
            long baseCount) {
        if (linears(block).values().stream().anyMatch(l -> l.adapter() != null)) {
            throw new IllegalStateException("the model already has LoRA adapters attached");
        }
        Map<String, LoraLinear> targets = targets(block, settings);
        List<Parameter> frozen = block.hfParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
        frozen.forEach(p -> p.freeze(true));
        Engine.getInstance().setRandomSeed((int) seed);
        Map<String, Parameter> adapters = new LinkedHashMap<>();
        targets.forEach((module, linear) -> {
            LoraAdapter adapter = linear.attach(settings, manager);
            adapters.put(PREFIX + module + ".lora_A.weight", adapter.loraA());
            adapters.put(PREFIX + module + ".lora_B.weight", adapter.loraB());
        });
        return new LoraModel(
                settings,
                taskType,
                Collections.unmodifiableMap(targets),
                Collections.unmodifiableMap(adapters),
                modulesToSave,
                frozen,
                baseCount);
    }

    /** The linears {@code settings} targets, by module name; an {@link LoraSettings.InvalidSetting} for one missing. */
    static Map<String, LoraLinear> targets(CausalLm block, LoraSettings settings) {
        Map<String, LoraLinear> targets = new LinkedHashMap<>();
        linears(block).forEach((module, linear) -> {
            if (settings.targets(module.substring(module.lastIndexOf('.') + 1))) {
                targets.put(module, linear);
            }
        });
        for (String module : settings.targetModules()) {
            if (targets.keySet().stream().noneMatch(name -> name.endsWith("." + module))) {
                throw new LoraSettings.InvalidSetting("target_modules", "the model has no linear '" + module + "'");
            }
        }
        return targets;
    }

    /**
     * Every {@link LoraLinear} of the model under its Hugging Face module name (e.g. {@code
     * model.layers.0.self_attn.q_proj}), in the order of {@link CausalLm#hfParameters()}.
     */
    static Map<String, LoraLinear> linears(CausalLm block) {
        Map<Parameter, LoraLinear> byWeight = new IdentityHashMap<>();
        collect(block, byWeight);
        Map<String, LoraLinear> out = new LinkedHashMap<>();
        block.hfParameters().forEach((name, p) -> {
            LoraLinear linear = byWeight.get(p);
            if (linear != null && name.endsWith(".weight")) {
                out.put(name.substring(0, name.length() - ".weight".length()), linear);
            }
        });
        return out;
    }

    private static void collect(Block block, Map<Parameter, LoraLinear> out) {
        if (block instanceof LoraLinear linear) {
            out.put(linear.weight(), linear);
        }
        for (Block child : block.getChildren().values()) {
            collect(child, out);
        }
    }

    public LoraSettings settings() {
        return settings;
    }

    public TaskType taskType() {
        return taskType;
    }

    /** The adapted linears under their Hugging Face module names. */
    public Map<String, LoraLinear> targets() {
        return targets;
    }

    /** A and B of every adapter under PEFT's names, e.g. {@code base_model.model.model.layers.0.mlp.up_proj.lora_B.weight}. */
    public Map<String, Parameter> adapterParameters() {
        return adapterParameters;
    }

    /** The {@code modules_to_save} parameters under PEFT's names: {@code base_model.model.score.weight}, or none. */
    public Map<String, Parameter> modulesToSave() {
        return modulesToSave;
    }

    /** What an optimizer updates: the adapters, then the modules to save. */
    public Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>(adapterParameters);
        out.putAll(modulesToSave);
        return out;
    }

    /** PEFT's {@code modules_to_save} entry: {@code ["score"]} for a reward model, none for a causal LM. */
    public List<String> modulesToSaveNames() {
        return modulesToSave.isEmpty() ? List.of() : List.of("score");
    }

    public long trainableParameterCount() {
        return count(trainableParameters());
    }

    /** The base model's parameters (tied embeddings once) plus the adapters'. */
    public long totalParameterCount() {
        return baseParameterCount + count(adapterParameters);
    }

    /**
     * One line as PEFT's {@code print_trainable_parameters()} prints it. For a reward model PEFT also counts the frozen
     * original head beside its trainable copy (D more in "all params"); here the head is counted once.
     */
    public String describe() {
        long trainable = trainableParameterCount();
        long total = totalParameterCount();
        return String.format(
                Locale.ROOT,
                "trainable params: %,d || all params: %,d || trainable%%: %.4f",
                trainable,
                total,
                100.0 * trainable / total);
    }

    private static long count(Map<String, Parameter> parameters) {
        return parameters.values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /**
     * Turns every adapter off until the returned handle is closed: the model computes with its base weights, as PEFT's
     * {@code with model.disable_adapter():}. Unlike PEFT, a reward model's {@code score} head stays the trained one.
     * Not for merged adapters ({@link #unmerge()} first), and not thread-safe: the switch is the model's.
     */
    public Disabled disabled() {
        if (isMerged()) {
            throw new IllegalStateException("the adapters are merged into the base weights; unmerge them first");
        }
        targets.values().forEach(l -> l.enable(false));
        return new Disabled();
    }

    /** Adds every update into its base weight ({@code W += s B A}); forwards then cost what the base model's do. */
    public void merge() {
        targets.values().forEach(LoraLinear::merge);
    }

    /** Subtracts what {@link #merge()} added. */
    public void unmerge() {
        targets.values().forEach(LoraLinear::unmerge);
    }

    /**
     * Folds every update into its base weight for good and drops the adapters (PEFT's {@code merge_and_unload}): the
     * model is then a plain one, trainable as a whole again and ready for other adapters, and this object is spent. A
     * reward model's {@code score} head stays as the adapter left it.
     */
    public void mergeAndUnload() {
        targets.values().forEach(LoraLinear::mergeAndUnload);
        frozen.forEach(p -> p.freeze(false));
    }

    public boolean isMerged() {
        return targets.values().stream().anyMatch(LoraLinear::isMerged);
    }

    /** The scope of {@link #disabled()}: closing it turns the adapters back on. */
    public final class Disabled implements AutoCloseable {
        private Disabled() {}

        @Override
        public void close() {
            targets.values().forEach(l -> l.enable(true));
        }
    }
}
