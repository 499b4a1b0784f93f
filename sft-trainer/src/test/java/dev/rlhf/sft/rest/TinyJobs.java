package dev.rlhf.sft.rest;

import dev.rlhf.service.jobs.testing.TinyHhJob;
import java.nio.file.Path;

/** The SFT service tests' job: trainer-common's tiny HH config on 112 conversations at lr 3e-3. */
final class TinyJobs {

    private TinyJobs() {}

    static String config(Path output, String exp, int maxSteps) {
        return TinyHhJob.config(output, exp, maxSteps, 112, "3.0e-3", 0);
    }
}
