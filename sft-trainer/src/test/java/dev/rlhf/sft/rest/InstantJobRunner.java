package dev.rlhf.sft.rest;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Map;

/**
 * Jobs that succeed at once without training, for test profiles that check the API around jobs: a profile restarts
 * Quarkus in a new class loader, and PyTorch's natives load in only one class loader per JVM (the one
 * {@link JobResourceTest} trains in). Enabled only by a profile that lists it.
 */
@Alternative
@Singleton
public class InstantJobRunner implements JobRunner {

    @Override
    public PreparedJob prepare(JobSpec spec) {
        return new PreparedJob() {
            @Override
            public Path runDir() {
                return Path.of("instant");
            }

            @Override
            public void run(JobContext context) {
                context.report(1, 1, Map.of("loss", 0.0));
            }
        };
    }
}
