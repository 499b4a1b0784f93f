package dev.rlhf.core.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobQueueTest {

    /** A job that reports a step every few milliseconds until cancelled; "fail" fails while running. */
    private static final JobRunner STEPPER = spec -> {
        if (spec.body().equals("invalid")) {
            throw new IllegalArgumentException("train.lr: expected a number");
        }
        return new PreparedJob() {
            @Override
            public Path runDir() {
                return Path.of("runs", spec.body());
            }

            @Override
            public void run(JobContext ctx) throws Exception {
                if (spec.body().equals("fail")) {
                    throw new IllegalStateException("data.jsonl:3: not JSON");
                }
                for (int step = 1; step <= 10_000 && !ctx.cancelled(); step++) {
                    ctx.report(step, 10_000, Map.of("loss", 1.0 / step));
                    Thread.sleep(2);
                }
            }
        };
    };

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void oneJobAtATimeTheNextWaitsAndCancelStopsIt() throws Exception {
        try (JobQueue queue = new JobQueue(STEPPER)) {
            Job first = queue.submit(JobSpec.ofBody("a"));
            Job second = queue.submit(JobSpec.ofBody("b"));
            await(() -> first.state() == JobState.RUNNING && first.latest() != null);
            assertEquals(JobState.QUEUED, second.state());
            assertEquals(1, queue.queuePosition(second));

            queue.cancel(first.id());
            await(() -> first.state() == JobState.CANCELLED);
            await(() -> second.state() == JobState.RUNNING);
            queue.cancel(second.id());
            await(() -> second.state() == JobState.CANCELLED);
            assertTrue(first.latest().step() < 10_000, "stopped early");
        }
    }

    @Test
    void cancellingAQueuedJobTakesItOutOfTheQueueAtOnce() throws Exception {
        try (JobQueue queue = new JobQueue(STEPPER)) {
            Job first = queue.submit(JobSpec.ofBody("a"));
            Job second = queue.submit(JobSpec.ofBody("b"));
            Job third = queue.submit(JobSpec.ofBody("c"));
            await(() -> first.state() == JobState.RUNNING);
            queue.cancel(second.id());
            assertEquals(JobState.CANCELLED, second.state());
            assertEquals(0, queue.queuePosition(second));
            assertEquals(1, queue.queuePosition(third));
            queue.cancel(first.id());
            await(() -> third.state() == JobState.RUNNING);
            assertEquals(JobState.CANCELLED, second.state());
            queue.cancel(third.id());
        }
    }

    @Test
    void aRestartedQueueListsItsJobsAndResumesTheInterruptedOne(@TempDir Path state) throws Exception {
        Job done;
        Job running;
        Job queued;
        JobQueue before = new JobQueue(STEPPER, JobStore.in(state));
        done = before.submit(JobSpec.ofBody("fail"));
        await(() -> done.state().finished());
        running = before.submit(new JobSpec(List.of("tiny"), "a", List.of("train.lr=1")));
        queued = before.submit(JobSpec.ofBody("b"));
        await(() -> running.state() == JobState.RUNNING);
        // The process dies here: a second queue reads the records while the first never got to end its jobs.
        try (JobQueue after = new JobQueue(STEPPER, JobStore.in(state))) {
            assertEquals(
                    List.of(done.id(), running.id(), queued.id()),
                    after.list().stream().map(Job::id).toList());
            Job failed = after.get(done.id()).orElseThrow();
            assertEquals(JobState.FAILED, failed.state());
            assertEquals("data.jsonl:3: not JSON", failed.error());
            Job interrupted = after.get(running.id()).orElseThrow();
            assertEquals(JobState.INTERRUPTED, interrupted.state());
            assertEquals(Path.of("runs", "a"), interrupted.runDir());
            assertEquals(running.spec(), interrupted.spec());
            assertEquals(
                    JobState.INTERRUPTED, after.get(queued.id()).orElseThrow().state());

            Job resumed = after.resume(running.id()).orElseThrow();
            await(() -> resumed.state() == JobState.RUNNING && resumed.latest() != null);
            assertEquals(running.id(), resumed.id());
            assertThrows(JobConflictException.class, () -> after.resume(running.id()));
            after.cancel(resumed.id());
            await(() -> resumed.state() == JobState.CANCELLED);
        }
        before.close();
        try (JobQueue third = new JobQueue(STEPPER, JobStore.in(state))) {
            assertEquals(
                    JobState.INTERRUPTED, third.get(queued.id()).orElseThrow().state(), "a stop is no cancel");
        }
    }

    @Test
    void failureKeepsTheMessageAndInvalidSpecsAreRefusedBeforeQueueing() throws Exception {
        try (JobQueue queue = new JobQueue(STEPPER)) {
            Job job = queue.submit(JobSpec.ofBody("fail"));
            await(() -> job.state().finished());
            assertEquals(JobState.FAILED, job.state());
            assertEquals("data.jsonl:3: not JSON", job.error());
            assertEquals(Path.of("runs", "fail"), job.runDir());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> queue.submit(JobSpec.ofBody("invalid")));
            assertEquals("train.lr: expected a number", e.getMessage());
            assertEquals(1, queue.list().size());
        }
    }

    @Test
    void listenersSeeEveryPointInOrder() throws Exception {
        CountDownLatch fiveSeen = new CountDownLatch(5);
        List<Long> steps = new CopyOnWriteArrayList<>();
        try (JobQueue queue = new JobQueue(STEPPER)) {
            Job job = queue.submit(JobSpec.ofBody("a"));
            Runnable unsubscribe = job.subscribe(p -> {
                steps.add(p.step());
                fiveSeen.countDown();
            });
            assertTrue(fiveSeen.await(10, TimeUnit.SECONDS));
            unsubscribe.run();
            queue.cancel(job.id());
            await(() -> job.state().finished());
        }
        for (int i = 1; i < steps.size(); i++) {
            assertEquals(steps.get(i - 1) + 1, steps.get(i));
        }
    }

    @Test
    void aQueueWideListenerSeesThePointsOfEveryJobQueuedAfterIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (JobQueue queue = new JobQueue(STEPPER)) {
            queue.subscribeToEveryJob(p -> seen.add(p.step() + " " + p.values().get("loss")));
            for (String name : List.of("a", "b")) {
                Job job = queue.submit(JobSpec.ofBody(name));
                await(() -> job.series().size() >= 2);
                queue.cancel(job.id());
                await(() -> job.state().finished());
                assertTrue(
                        seen.containsAll(job.series().stream()
                                .map(p -> p.step() + " " + p.values().get("loss"))
                                .toList()),
                        "job " + name + ": " + seen);
            }
        }
        assertEquals("1 1.0", seen.get(0));
    }

    /**
     * A job that generates 120 tokens with a real model is cancelled while its third token is being reported: the
     * generation stops before its next forward pass, and the job ends cancelled (not failed) after 3 tokens, not 120.
     */
    @Test
    void cancelStopsARunningGenerationWithinOneDecodeStep() throws Exception {
        CountDownLatch thirdToken = new CountDownLatch(1);
        CountDownLatch cancelAsked = new CountDownLatch(1);
        AtomicInteger tokens = new AtomicInteger();
        try (LanguageModel lm = LanguageModel.create(TestModels.qwen2(60), 3);
                JobQueue queue = new JobQueue(spec -> new PreparedJob() {
                    @Override
                    public Path runDir() {
                        return Path.of("runs", "generate");
                    }

                    @Override
                    public void run(JobContext ctx) throws Exception {
                        new Generator(lm, null)
                                .generate(List.of(new long[] {5, 6, 7}), SamplingConfig.greedy(120), t -> {
                                    if (tokens.incrementAndGet() == 3) {
                                        thirdToken.countDown();
                                        await(cancelAsked);
                                    }
                                });
                    }
                })) {
            Job job = queue.submit(JobSpec.ofBody("generate"));
            assertTrue(thirdToken.await(60, TimeUnit.SECONDS), "generation started");
            queue.cancel(job.id());
            cancelAsked.countDown();
            assertEquals(JobState.CANCELLED, job.completion().get(60, TimeUnit.SECONDS), job.error());
            assertEquals(3, tokens.get());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
