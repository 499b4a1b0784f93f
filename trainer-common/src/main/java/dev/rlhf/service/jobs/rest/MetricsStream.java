package dev.rlhf.service.jobs.rest;

import dev.rlhf.core.jobs.Job;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A job's metrics as a live stream: what was logged so far, every point logged from now on, completion at the end.
 * Points go out in the order they were logged, each once. Two points may share a step (a training log line and an
 * evaluation at the same step), so a point is told apart by identity, not by its step.
 */
final class MetricsStream {

    private MetricsStream() {}

    static Multi<Job.MetricsPoint> of(Job job) {
        return Multi.createFrom().emitter(emitter -> {
            Set<Job.MetricsPoint> sent = Collections.newSetFromMap(new IdentityHashMap<>());
            Runnable unsubscribe;
            // The listener waits on the lock until the backlog is out, so a live point never overtakes older ones.
            synchronized (sent) {
                unsubscribe = job.subscribe(point -> emit(emitter, sent, point));
                job.series().forEach(point -> emit(emitter, sent, point));
            }
            job.completion().whenComplete((state, error) -> emitter.complete());
            emitter.onTermination(unsubscribe);
        });
    }

    /** A point logged while the backlog is read arrives from both; it goes out once. */
    private static void emit(
            MultiEmitter<? super Job.MetricsPoint> emitter, Set<Job.MetricsPoint> sent, Job.MetricsPoint point) {
        synchronized (sent) {
            if (sent.add(point)) {
                emitter.emit(point);
            }
        }
    }
}
