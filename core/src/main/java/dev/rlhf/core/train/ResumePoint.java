package dev.rlhf.core.train;

import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.config.ResumePolicy;
import dev.rlhf.core.runs.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where a job continues from: the checkpoint its resume policy names, or its own {@code checkpoints/last}. */
public final class ResumePoint {
    private ResumePoint() {}

    /**
     * The checkpoint to continue from, if the policy and the run directory give one: {@code never} gives none,
     * {@code auto} and {@code force} give {@code last/} once it holds a training state, a path must hold one.
     *
     * @throws ConfigException when the named checkpoint has no training state
     */
    public static Optional<Path> find(ResumePolicy policy, RunDirectory run) {
        if (policy instanceof ResumePolicy.FromPath from) {
            if (!Files.isRegularFile(from.checkpoint().resolve(TrainingState.FILE))) {
                throw new ConfigException("resume: " + from.checkpoint() + " has no " + TrainingState.FILE);
            }
            return Optional.of(from.checkpoint());
        }
        Path last = run.lastCheckpoint();
        boolean saved = Files.isRegularFile(last.resolve(TrainingState.FILE));
        boolean fromLast = policy instanceof ResumePolicy.Auto || policy instanceof ResumePolicy.Force;
        return fromLast && saved ? Optional.of(last) : Optional.empty();
    }
}
