package dev.rlhf.service.jobs.rest;

import dev.rlhf.core.jobs.Job;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.HashSet;
import java.util.Set;

/** A job's metrics as a live stream: what was logged so far, every point logged from now on, completion at the end. */
final class MetricsStream {

    private MetricsStream() {}

    static Multi<Job.MetricsPoint> of(Job job) {
        return Multi.createFrom().emitter(emitter -> {
            Set<Long> sent = new HashSet<>();
            Runnable unsubscribe = job.subscribe(point -> emit(emitter, sent, point));
            job.series().forEach(point -> emit(emitter, sent, point));
            job.completion().whenComplete((state, error) -> emitter.complete());
            emitter.onTermination(unsubscribe);
        });
    }

    /** Points can arrive from the backlog and the listener at once; each step goes out once. */
    private static void emit(MultiEmitter<? super Job.MetricsPoint> emitter, Set<Long> sent, Job.MetricsPoint point) {
        synchronized (sent) {
            if (sent.add(point.step())) {
                emitter.emit(point);
            }
        }
    }
}
