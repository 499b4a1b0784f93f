package dev.rlhf.cli;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.RewardModel;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --adapter DIR} of the commands that load a model ({@code logprobs}, {@code generate}, {@code rm score},
 * {@code export}): a LoRA adapter in PEFT's layout, trained on {@code --model}, applied as the model loads. An adapter
 * that does not fit the model (shapes, target modules, task type) stops the command with one line naming the file and
 * the field or tensor, before anything runs.
 */
final class AdapterOption {

    @Option(
            names = "--adapter",
            paramLabel = "DIR",
            description = "A LoRA adapter trained on --model (PEFT layout: adapter_config.json + "
                    + "adapter_model.safetensors, e.g. a LoRA run's checkpoints/best), applied on load.")
    Path dir;

    boolean given() {
        return dir != null;
    }

    /** The causal LM in {@code model} with the adapter attached (and, when {@code merge}, folded into its weights). */
    LanguageModel languageModel(Path model, boolean merge) {
        return withAdapter(HfCheckpoint.load(model), lm -> PeftAdapter.load(lm, dir), merge);
    }

    /**
     * The reward model in {@code model} with the adapter attached: a base without a {@code score} head gets the
     * adapter's ({@code modules_to_save}), as a LoRA reward-model run trains it from a causal LM.
     */
    RewardModel rewardModel(Path model, boolean merge) {
        if (!given()) {
            return HfCheckpoint.loadRewardModel(model, null);
        }
        return withAdapter(HfCheckpoint.loadRewardModel(model, 0L), rm -> PeftAdapter.load(rm, dir), merge);
    }

    private <M extends AutoCloseable> M withAdapter(M loaded, Function<M, LoraModel> attach, boolean merge) {
        if (!given()) {
            return loaded;
        }
        try {
            LoraModel lora = attach.apply(loaded);
            if (merge) {
                lora.merge();
            }
            return loaded;
        } catch (RuntimeException e) {
            try {
                loaded.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
