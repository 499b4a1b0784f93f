package dev.rlhf.core.jobs;

/**
 * Turns a job spec into a runnable job for one kind of training (SFT, reward model, PPO). The same runner serves the
 * REST job API and the command line, so both train the same way.
 */
@FunctionalInterface
public interface JobRunner {

    /**
     * Composes and validates the config and resolves the run directory, without training. Bad input throws
     * {@link IllegalArgumentException} (or a subclass) whose message names the key, file or line: the REST API answers
     * it with 400 before anything is queued.
     */
    PreparedJob prepare(JobSpec spec);
}
