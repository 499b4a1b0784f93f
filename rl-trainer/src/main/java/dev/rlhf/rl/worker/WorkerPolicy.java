package dev.rlhf.rl.worker;

import dev.rlhf.core.model.LanguageModel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The policy a rollout worker samples with, moved to each version the learner announces: a whole HF checkpoint per
 * version ({@link FullPolicy}), or, for a LoRA policy, the base held once and each version's adapter copied into it
 * ({@link AdapterPolicy}).
 */
public interface WorkerPolicy extends AutoCloseable {

    /** The model to sample with; empty before the first version is loaded. */
    Optional<LanguageModel> model();

    /** Moves to the version saved in {@code dir} (the announced checkpoint path). */
    void load(Path dir);

    @Override
    void close();
}
