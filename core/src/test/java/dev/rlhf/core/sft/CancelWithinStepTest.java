package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.runs.MetricsLog;
import dev.rlhf.core.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancel waits for one micro-batch, not for a whole step of many accumulated ones. */
class CancelWithinStepTest {

    @TempDir
    Path dir;

    @Test
    void aCancelDuringALongAccumulatedStepStopsWithinAMicroBatch() throws Exception {
        String config = SftFixtures.config(dir, 64);
        PreparedJob job = new SftJobRunner(List.of())
                .prepare(new JobSpec(
                        List.of(), config, List.of("train.batch_size=1", "train.grad_accum=48", "train.max_steps=1")));
        // Asked from the fifth look on: the loop looks twice before the step, then before each micro-batch.
        JobContext cancelAfterTwoMicroBatches = new JobContext() {
            int looks;

            @Override
            public void report(long step, long totalSteps, Map<String, Object> metrics) {}

            @Override
            public boolean cancelled() {
                return ++looks > 4;
            }
        };
        job.run(cancelAfterTwoMicroBatches);

        Path last = job.runDir().resolve("checkpoints/last");
        assertTrue(Files.isRegularFile(last.resolve(TrainingState.FILE)), "last/ is saved on cancel");
        assertEquals(0, TrainingState.read(last).step(), "the unfinished step is dropped, not applied");
        assertTrue(
                new MetricsLog(job.runDir().resolve("metrics.jsonl"))
                        .read().stream().noneMatch(m -> m.containsKey("loss")),
                "no training step was logged");
        assertTrue(Files.notExists(job.runDir().resolve("finished.json")), "a cancelled run is not finished");
    }
}
