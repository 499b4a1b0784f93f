package dev.rlhf.core.jobs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** One submitted job: its state, progress and metrics series, observable while it runs. Thread-safe. */
public final class Job {

    /** One reported step. */
    public record MetricsPoint(long step, long totalSteps, Map<String, Object> values) {}

    private final String id;
    private final JobSpec spec;
    private final PreparedJob prepared;
    private final Path runDir;
    private final Instant submitted;
    private volatile Instant started;
    private volatile Instant ended;
    private final List<MetricsPoint> series = new CopyOnWriteArrayList<>();
    private final List<Consumer<MetricsPoint>> listeners = new CopyOnWriteArrayList<>();
    private volatile JobState state = JobState.QUEUED;
    private volatile String error;
    private volatile boolean cancelRequested;
    private final CompletableFuture<JobState> completion = new CompletableFuture<>();

    Job(String id, JobSpec spec, PreparedJob prepared) {
        this.id = id;
        this.spec = spec;
        this.prepared = prepared;
        this.runDir = prepared.runDir();
        this.submitted = Instant.now();
    }

    /**
     * A job read back from its record after a restart: it cannot run again as is ({@link JobQueue#resume} prepares it
     * anew). One that was queued or running when the service stopped is {@link JobState#INTERRUPTED}.
     */
    Job(JobRecord record) {
        this.id = record.id();
        this.spec = record.spec();
        this.prepared = null;
        this.runDir = Path.of(record.runDir() == null ? "" : record.runDir());
        this.submitted = record.submitted() == null ? Instant.EPOCH : instant(record.submitted());
        this.started = instant(record.started());
        this.ended = instant(record.ended());
        this.error = record.error();
        this.state = record.state() != null && record.state().finished() ? record.state() : JobState.INTERRUPTED;
        completion.complete(state);
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    JobRecord record() {
        return new JobRecord(
                id,
                spec.configNames(),
                spec.body(),
                spec.overrides(),
                state,
                runDir.toString(),
                submitted.toString(),
                started == null ? null : started.toString(),
                ended == null ? null : ended.toString(),
                error,
                spec.kind().orElse(null));
    }

    public String id() {
        return id;
    }

    public JobSpec spec() {
        return spec;
    }

    public Instant submitted() {
        return submitted;
    }

    public JobState state() {
        return state;
    }

    public Path runDir() {
        return runDir;
    }

    /** When it started running; null while queued. */
    public Instant started() {
        return started;
    }

    /** When it ended; null until then. */
    public Instant ended() {
        return ended;
    }

    PreparedJob prepared() {
        return prepared;
    }

    public String error() {
        return error;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public List<MetricsPoint> series() {
        return new ArrayList<>(series);
    }

    public MetricsPoint latest() {
        return series.isEmpty() ? null : series.get(series.size() - 1);
    }

    /** Receives every point reported from now on; returns a handle that removes the listener. */
    public Runnable subscribe(Consumer<MetricsPoint> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Completes with the final state when the job ends. */
    public CompletableFuture<JobState> completion() {
        return completion;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    void state(JobState newState) {
        state = newState;
        if (newState == JobState.RUNNING) {
            started = Instant.now();
        }
        if (newState.finished()) {
            ended = Instant.now();
            completion.complete(newState);
        }
    }

    void fail(String message) {
        error = message;
        state(JobState.FAILED);
    }

    JobContext context() {
        return new JobContext() {
            @Override
            public void report(long step, long totalSteps, Map<String, Object> metrics) {
                MetricsPoint point = new MetricsPoint(step, totalSteps, Map.copyOf(metrics));
                series.add(point);
                listeners.forEach(l -> l.accept(point));
            }

            @Override
            public boolean cancelled() {
                return cancelRequested;
            }
        };
    }
}
