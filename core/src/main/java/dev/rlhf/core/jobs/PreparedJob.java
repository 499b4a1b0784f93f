package dev.rlhf.core.jobs;

import java.nio.file.Path;

/** A validated job, ready to train. */
public interface PreparedJob {

    /** Where the job writes its config, metrics and checkpoints. */
    Path runDir();

    /**
     * Trains to the end, or until {@link JobContext#cancelled()}, leaving the last checkpoint usable. Bad data met on
     * the way (a malformed line) throws {@link IllegalArgumentException} naming file and line.
     */
    void run(JobContext context) throws Exception;
}
