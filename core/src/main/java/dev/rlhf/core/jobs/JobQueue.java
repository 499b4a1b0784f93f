package dev.rlhf.core.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs jobs one at a time, in submission order: a trainer owns the whole machine, so a second job waits in the queue
 * (its status says so) rather than competing for cores or GPU memory.
 */
public final class JobQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobQueue.class.getName());

    private final JobRunner runner;
    private final ExecutorService worker;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public JobQueue(JobRunner runner) {
        this.runner = runner;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "job-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Validates the spec (throwing on bad input, before anything is queued) and queues the job. */
    public synchronized Job submit(JobSpec spec) {
        PreparedJob prepared = runner.prepare(spec);
        Job job = new Job(UUID.randomUUID().toString().substring(0, 8), spec, prepared);
        jobs.put(job.id(), job);
        worker.submit(() -> execute(job));
        return job;
    }

    private void execute(Job job) {
        if (job.cancelRequested()) {
            job.state(JobState.CANCELLED);
            return;
        }
        job.state(JobState.RUNNING);
        try {
            job.prepared().run(job.context());
            job.state(job.cancelRequested() ? JobState.CANCELLED : JobState.SUCCEEDED);
        } catch (Exception | Error e) {
            LOG.log(Level.WARNING, "job " + job.id() + " failed", e);
            job.fail(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
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

    /** Asks a job to stop; a queued job never starts, a running one stops within one step. */
    public synchronized Optional<Job> cancel(String id) {
        Optional<Job> job = get(id);
        job.ifPresent(Job::requestCancel);
        return job;
    }

    @Override
    public void close() throws InterruptedException {
        jobs.values().forEach(Job::requestCancel);
        worker.shutdown();
        worker.awaitTermination(1, TimeUnit.MINUTES);
    }
}
