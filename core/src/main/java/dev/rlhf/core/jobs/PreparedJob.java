package dev.rlhf.core.jobs;

import dev.rlhf.core.train.MemoryEstimate;
import java.nio.file.Path;
import java.util.Optional;

/** A validated job, ready to train. */
public interface PreparedJob {

    /** Where the job writes its config, metrics and checkpoints. */
    Path runDir();

    /**
     * The step at which the run this job would continue already trained to its end; empty when the job would train.
     * The job API refuses such a job (409) rather than "succeed" without training.
     */
    default Optional<Long> finishedStep() {
        return Optional.empty();
    }

    /** The job's estimated peak memory, when its kind knows how to estimate it. */
    default Optional<MemoryEstimate> memoryEstimate() {
        return Optional.empty();
    }

    /** The keys that size {@link #memoryEstimate()}, and what to change when it is over the budget. */
    default MemoryEstimate.Advice memoryAdvice() {
        return new MemoryEstimate.Advice(
                "train.batch_size, seq_len",
                "lower train.batch_size (raise train.grad_accum to keep the step) or seq_len");
    }

    /**
     * Trains to the end, or until {@link JobContext#cancelled()}, leaving the last checkpoint usable. Bad data met on
     * the way (a malformed line) throws {@link IllegalArgumentException} naming file and line.
     */
    void run(JobContext context) throws Exception;
}
