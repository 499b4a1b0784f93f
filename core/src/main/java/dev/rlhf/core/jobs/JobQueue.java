package dev.rlhf.core.jobs;

import dev.rlhf.core.runs.RunConflictException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs jobs one at a time, in submission order: a trainer owns the whole machine, so a second job waits in the queue
 * (its status says so) rather than competing for cores or GPU memory. Every change of a job's state is saved to the
 * {@link JobStore}, so a restarted queue lists the jobs it had; those that were queued or running are
 * {@link JobState#INTERRUPTED} and {@link #resume} runs them again.
 */
public final class JobQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobQueue.class.getName());

    private final JobRunner runner;
    private final JobStore store;
    private final ExecutorService worker;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Consumer<Job.MetricsPoint>> everyJobsPoints = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    /** A queue that keeps no records (the command line, tests). */
    public JobQueue(JobRunner runner) {
        this(runner, JobStore.none());
    }

    /** A queue that saves its jobs' records in {@code store} and lists the ones saved there before. */
    public JobQueue(JobRunner runner, JobStore store) {
        this.runner = runner;
        this.store = store;
        for (JobRecord record : store.load()) {
            Job job = new Job(record);
            jobs.put(job.id(), job);
            if (job.state() != record.state()) {
                store.save(job.record());
            }
        }
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "job-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Validates the spec (throwing on bad input, before anything is queued) and queues the job.
     *
     * @throws RunConflictException when the job's run already trained to its end
     */
    public synchronized Job submit(JobSpec spec) {
        PreparedJob prepared = runner.prepare(spec);
        prepared.finishedStep().ifPresent(step -> {
            throw new RunConflictException(prepared.runDir() + ": this run already finished at step " + step
                    + "; use a new exp for a new run, or resume: never to train it again from the start");
        });
        return enqueue(new Job(UUID.randomUUID().toString().substring(0, 8), spec, prepared));
    }

    /**
     * Runs an interrupted, failed or cancelled job again under its id: its spec is prepared anew (so it is checked
     * again) and the job continues its run's last checkpoint as the spec's resume policy says.
     *
     * @return empty when there is no such job
     * @throws JobConflictException when the job is queued, running or succeeded
     */
    public synchronized Optional<Job> resume(String id) {
        Job old = jobs.get(id);
        if (old == null) {
            return Optional.empty();
        }
        if (!old.state().finished() || old.state() == JobState.SUCCEEDED) {
            throw new JobConflictException(
                    "job " + id + " is " + old.state().name().toLowerCase(java.util.Locale.ROOT)
                            + "; only an interrupted, failed or cancelled job can be resumed");
        }
        PreparedJob prepared = runner.prepare(old.spec());
        return Optional.of(enqueue(new Job(id, old.spec(), prepared)));
    }

    /**
     * Receives every point that any job queued from now on reports (a service's gauges over whichever job runs), on the
     * job's thread, before the job goes on.
     */
    public void subscribeToEveryJob(Consumer<Job.MetricsPoint> listener) {
        everyJobsPoints.add(listener);
    }

    private Job enqueue(Job job) {
        everyJobsPoints.forEach(job::subscribe);
        jobs.put(job.id(), job);
        store.save(job.record());
        worker.submit(() -> execute(job));
        return job;
    }

    private void execute(Job job) {
        if (job.state().finished()) {
            return; // cancelled while queued
        }
        if (closing) {
            move(job, JobState.INTERRUPTED);
            return;
        }
        move(job, JobState.RUNNING);
        try (Cancellation.Scope scope = Cancellation.bind(job::cancelRequested)) {
            job.prepared().run(job.context());
            move(job, !job.cancelRequested() ? JobState.SUCCEEDED : stopped());
        } catch (Exception | Error e) {
            if (job.cancelRequested() && Cancellation.isCancellation(e)) {
                move(job, stopped()); // a loop deep in the job (a generation) stopped mid-way on the cancel
                return;
            }
            LOG.log(Level.WARNING, "job " + job.id() + " failed", e);
            job.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            persist(job);
        }
    }

    /** The state of a job that stopped on request: interrupted when the queue is closing, else cancelled. */
    private JobState stopped() {
        return closing ? JobState.INTERRUPTED : JobState.CANCELLED;
    }

    /** Moves the job to {@code state} and saves its record. */
    private void move(Job job, JobState state) {
        job.state(state);
        persist(job);
    }

    private synchronized void persist(Job job) {
        try {
            store.save(job.record());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "job " + job.id() + ": record not saved", e);
        }
    }

    public synchronized Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public synchronized List<Job> list() {
        return new ArrayList<>(jobs.values());
    }

    /** 1-based place among queued jobs, or 0 when the job is not waiting. */
    public synchronized int queuePosition(Job job) {
        if (job.state() != JobState.QUEUED) {
            return 0;
        }
        int position = 0;
        for (Job j : jobs.values()) {
            if (j.state() == JobState.QUEUED) {
                position++;
            }
            if (j == job) {
                return position;
            }
        }
        return 0;
    }

    /**
     * Asks a job to stop: a queued one is cancelled at once and leaves the queue, a running one stops within a step
     * (a training micro-batch, or one decode step of a generation: see {@link Cancellation}).
     */
    public synchronized Optional<Job> cancel(String id) {
        Optional<Job> job = get(id);
        job.ifPresent(j -> {
            j.requestCancel();
            if (j.state() == JobState.QUEUED) {
                move(j, JobState.CANCELLED);
            }
        });
        return job;
    }

    /** Stops the running job (it keeps its last checkpoint); it and the queued ones are saved as interrupted. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        synchronized (this) {
            jobs.values().forEach(Job::requestCancel);
        }
        worker.shutdown();
        worker.awaitTermination(1, TimeUnit.MINUTES);
    }
}
