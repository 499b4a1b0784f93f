package dev.rlhf.core.jobs;

/**
 * Runs one kind of job (SFT, reward model, PPO) from its config text. The same runner serves the REST job API and the
 * command line, so both train the same way.
 */
@FunctionalInterface
public interface JobRunner {

    /**
     * Trains to the end, or until {@link JobContext#cancelled()}. Bad input throws {@link IllegalArgumentException}
     * (or a subclass) with a message naming the key, file or line.
     */
    void run(JobSpec spec, JobContext context) throws Exception;
}
