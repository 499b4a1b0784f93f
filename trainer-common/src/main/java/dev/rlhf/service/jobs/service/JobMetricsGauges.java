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

    private double latest(String key) {
        Optional<Job.MetricsPoint> point = queue.list().stream()
                .filter(j -> j.latest() != null)
                .max(Comparator.comparing(Job::submitted))
                .map(Job::latest);
        if (point.isEmpty()) {
            return Double.NaN;
        }
        if (key.equals("step")) {
            return point.get().step();
        }
        Object value = point.get().values().get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
