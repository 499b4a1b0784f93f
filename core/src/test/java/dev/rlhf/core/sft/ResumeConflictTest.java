package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.runs.RunConflictException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory holds one run: a changed config does not resume an old checkpoint, a finished run says so. */
class ResumeConflictTest {

    @TempDir
    Path dir;

    private final SftJobRunner runner = new SftJobRunner(List.of());
    private String config;

    @BeforeEach
    void trainTwoSteps() throws Exception {
        config = SftFixtures.config(dir, 16);
        job("train.max_steps=2").run(JobContext.silent());
    }

    private PreparedJob job(String... overrides) {
        return runner.prepare(new JobSpec(List.of(), config, List.of(overrides)));
    }

    @Test
    void aConfigThatChangesTrainingIsRefusedNamingTheKeys() {
        RunConflictException e =
                assertThrows(RunConflictException.class, () -> job("train.max_steps=2", "train.lr=1e-3", "seq_len=64"));
        assertTrue(e.getMessage().contains("train.lr: 0.003 -> 0.001"), e.getMessage());
        assertTrue(e.getMessage().contains("seq_len: 96 -> 64"), e.getMessage());
        assertTrue(e.getMessage().contains("runs/test/run"), e.getMessage());
        assertFalse(e.getMessage().contains("train.max_steps"), e.getMessage());
    }

    @Test
    void keysThatCannotChangeTrainingMayDiffer() {
        job("train.max_steps=2", "train.log_every=5", "train.eval_every=3", "tags=[again]", "samples.max_new_tokens=4");
    }

    @Test
    void forceNeverAndANewExpAreExplicitWaysOn() {
        job("train.max_steps=2", "train.lr=1e-3", "resume=force");
        assertEquals(
                Optional.empty(),
                job("train.max_steps=2", "train.lr=1e-3", "resume=never").finishedStep());
        job("train.max_steps=2", "train.lr=1e-3", "exp=second");
    }

    @Test
    void reSubmittingAFinishedRunIsRefusedNamingTheRun() throws Exception {
        assertEquals(Optional.of(2L), job("train.max_steps=2").finishedStep());
        try (JobQueue queue = new JobQueue(runner)) {
            RunConflictException e = assertThrows(
                    RunConflictException.class,
                    () -> queue.submit(new JobSpec(List.of(), config, List.of("train.max_steps=2"))));
            assertTrue(e.getMessage().contains("already finished at step 2"), e.getMessage());
            assertTrue(e.getMessage().contains("runs/test/run"), e.getMessage());
            assertTrue(queue.list().isEmpty());
        }
    }
}
