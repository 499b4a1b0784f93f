package dev.rlhf.service.jobs.service;

import dev.rlhf.core.jobs.Job;
import dev.rlhf.core.jobs.JobQueue;
import dev.rlhf.core.jobs.JobState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Micrometer gauges ({@code /q/metrics}) on the running job: step, loss and tokens/s, plus queue length. */
@Singleton
public class JobMetricsGauges {

    private final JobQueue queue;

    public JobMetricsGauges(JobQueue queue) {
        this.queue = queue;
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("rlhf.job.step", () -> latest("step")).register(registry);
        Gauge.builder("rlhf.job.loss", () -> latest("loss")).register(registry);
        Gauge.builder("rlhf.job.tokens_per_second", () -> latest("tokens_per_s"))
                .register(registry);
        Gauge.builder(
                        "rlhf.job.queued",
                        () -> queue.list().stream()
                                .filter(j -> j.state() == JobState.QUEUED)
                                .count())
                .register(registry);
    }

    /**
     * The newest value of {@code key} in the newest job that logged one. A job's last point is often an evaluation
     * (no {@code loss}), so the series is searched back to the last point that has the key: the gauge keeps the last
     * real value after the job ends instead of turning NaN.
     */
    private double latest(String key) {
        Optional<Job> job =
                queue.list().stream().filter(j -> j.latest() != null).max(Comparator.comparing(Job::submitted));
        if (job.isEmpty()) {
            return Double.NaN;
        }
        List<Job.MetricsPoint> series = job.get().series();
        for (int i = series.size() - 1; i >= 0; i--) {
            Job.MetricsPoint point = series.get(i);
            if (key.equals("step")) {
                return point.step();
            }
            if (point.values().get(key) instanceof Number n) {
                return n.doubleValue();
            }
        }
        return Double.NaN;
    }
}
