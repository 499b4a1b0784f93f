package dev.rlhf.core.train;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ResumePolicy;
import dev.rlhf.core.runs.RunDirectory;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How every trainer's run begins: the resolved config written into the run directory, the checkpoint the run resumes
 * from (if any), the training state found there (or a fresh one), and the metrics cut back to that step, so a resumed
 * run logs no step twice.
 *
 * @param resumeFrom the checkpoint to continue from; empty for a fresh start
 * @param state the step, epoch and best score to continue from
 */
public record RunStart(Optional<Path> resumeFrom, TrainingState state) {

    public static RunStart open(
            RunDirectory run, Record config, ComposedConfig composed, ResumePolicy resume, long seed) {
        run.writeConfig(config, composed);
        run.clearFinished();
        Optional<Path> from = ResumePoint.find(resume, run);
        TrainingState state = from.map(TrainingState::read).orElse(TrainingState.start(seed));
        run.metrics().truncateAfter(state.step());
        return new RunStart(from, state);
    }

    /** The optimizer state to restore, or {@code null} for a fresh optimizer. */
    public Path optimizerFile() {
        return resumeFrom.map(p -> p.resolve(TrainingState.OPTIMIZER_FILE)).orElse(null);
    }
}
