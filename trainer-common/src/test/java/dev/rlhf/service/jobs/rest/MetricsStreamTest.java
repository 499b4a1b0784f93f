package dev.rlhf.service.jobs.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.jobs.Job;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The SSE stream of a job's metrics: backlog then live points, in order, each once, ending with the job. */
class MetricsStreamTest {

    /** Logs a training point and an evaluation at step 2, waits for {@code release}, then does the same at step 4. */
    private record TwoSteps(CountDownLatch release) implements PreparedJob {
        @Override
        public Path runDir() {
            return Path.of("unused");
        }

        @Override
        public void run(JobContext context) throws InterruptedException {
            context.report(2, 4, Map.of("loss", 2.0));
            context.report(2, 4, Map.of("eval_loss", 2.5));
            release.await();
            context.report(4, 4, Map.of("loss", 1.0));
            context.report(4, 4, Map.of("eval_loss", 1.5));
        }
    }

    @Test
    void pointsSharingAStepAllArriveInTheOrderLogged() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (JobQueue queue = new JobQueue(spec -> new TwoSteps(release))) {
            Job job = queue.submit(JobSpec.ofBody(""));
            awaitPoints(job, 2);

            AssertSubscriber<Job.MetricsPoint> stream =
                    MetricsStream.of(job).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            release.countDown();
            stream.awaitCompletion(Duration.ofSeconds(10));

            List<String> received = stream.getItems().stream()
                    .map(p -> p.step() + " " + p.values().keySet())
                    .toList();
            assertEquals(List.of("2 [loss]", "2 [eval_loss]", "4 [loss]", "4 [eval_loss]"), received);
        }
    }

    @Test
    void aFinishedJobStreamsItsWholeSeriesAndCompletes() throws Exception {
        CountDownLatch release = new CountDownLatch(0);
        try (JobQueue queue = new JobQueue(spec -> new TwoSteps(release))) {
            Job job = queue.submit(JobSpec.ofBody(""));
            job.completion().get();

            AssertSubscriber<Job.MetricsPoint> stream =
                    MetricsStream.of(job).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            stream.awaitCompletion(Duration.ofSeconds(10));
            assertEquals(job.series(), stream.getItems());
        }
    }

    private static void awaitPoints(Job job, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (job.series().size() < count) {
            assertTrue(
                    System.nanoTime() < deadline,
                    "the job logged " + job.series().size() + " points");
            Thread.sleep(10);
        }
    }
}
