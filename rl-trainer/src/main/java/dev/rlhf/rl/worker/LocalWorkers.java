package dev.rlhf.rl.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollout workers running in this JVM, each on its own thread. The learner asks {@link #checkAlive()} while it
 * waits for rollouts, so a worker that died (say, the reward model's endpoint stayed down) fails the job at once with
 * the worker's reason instead of a timeout. A learner whose workers run in other pods uses {@link #none()}.
 */
public final class LocalWorkers implements AutoCloseable {

    private final List<RolloutWorker> workers;
    private final List<Thread> threads = new ArrayList<>();

    private LocalWorkers(List<RolloutWorker> workers) {
        this.workers = List.copyOf(workers);
    }

    public static LocalWorkers none() {
        return new LocalWorkers(List.of());
    }

    /** Starts each worker on a daemon thread named after it. */
    public static LocalWorkers start(List<RolloutWorker> workers) {
        LocalWorkers local = new LocalWorkers(workers);
        for (RolloutWorker worker : local.workers) {
            Thread thread = new Thread(worker, "rollout-" + worker.id());
            thread.setDaemon(true);
            thread.start();
            local.threads.add(thread);
        }
        return local;
    }

    /** Throws with the first failed worker's reason, if one stopped on its own. */
    public void checkAlive() {
        for (RolloutWorker worker : workers) {
            if (worker.failure().isPresent()) {
                Throwable cause = worker.failure().get();
                throw new IllegalStateException("rollout " + worker.id() + " failed: " + cause.getMessage(), cause);
            }
        }
    }

    /** Whether every worker saw the learner announce the job's end and stopped (false when there are none). */
    public boolean allEnded() {
        return !workers.isEmpty() && workers.stream().allMatch(w -> w.ended().isPresent());
    }

    /** Stops the workers and waits up to a minute for each to finish its batch. */
    @Override
    public void close() throws InterruptedException {
        workers.forEach(RolloutWorker::stop);
        for (Thread thread : threads) {
            thread.join(Duration.ofMinutes(1).toMillis());
        }
    }
}
