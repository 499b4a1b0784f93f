package dev.rlhf.core.jobs;

import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.train.MemoryEstimate;
import java.util.Locale;

/**
 * A {@link JobRunner} that refuses a job whose estimated peak memory ({@link PreparedJob#memoryEstimate()}) exceeds
 * the service's budget, before it is queued: a config such as {@code train.batch_size: 1000000} would otherwise get
 * the whole process killed by the kernel, with every other job in it. The refusal is a {@link ConfigException} (400)
 * naming the keys that size the job and the estimate's parts.
 */
public final class MemoryBudgetedRunner implements JobRunner {

    private final JobRunner runner;
    private final long budgetBytes;
    private final String budgetKey;

    /**
     * @param budgetBytes the most a job may need
     * @param budgetKey the setting that gives the budget, named in refusals
     */
    public MemoryBudgetedRunner(JobRunner runner, long budgetBytes, String budgetKey) {
        this.runner = runner;
        this.budgetBytes = budgetBytes;
        this.budgetKey = budgetKey;
    }

    @Override
    public PreparedJob prepare(JobSpec spec) {
        PreparedJob job = runner.prepare(spec);
        job.memoryEstimate().filter(e -> e.total() > budgetBytes).ifPresent(e -> {
            RunDirectory.deleteIfUnused(job.runDir()); // made by prepare for a job that never starts
            MemoryEstimate.Advice advice = job.memoryAdvice();
            throw new ConfigException(advice.keys() + ": the job's estimated peak memory " + e
                    + " exceeds the memory budget "
                    + String.format(Locale.ROOT, "%.2f GiB", budgetBytes / (1024.0 * 1024 * 1024)) + " ("
                    + budgetKey + "); " + advice.remedy());
        });
        return job;
    }
}
