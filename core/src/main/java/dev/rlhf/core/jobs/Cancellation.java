package dev.rlhf.core.jobs;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Whether the work on this thread has been asked to stop, for loops deep below a job that are not handed its
 * {@link JobContext}: a decode loop inside a rollout or an evaluation's answers. Like gRPC's {@code Context}, the code
 * that runs the work binds its stop signal to the thread for as long as the work runs ({@link JobQueue} for a job,
 * a rollout worker for its own thread); a loop asks {@link #check} once per step and so stops within one step.
 * Unbound, a thread is never cancelled.
 */
public final class Cancellation {

    private static final BooleanSupplier NEVER = () -> false;
    private static final ThreadLocal<BooleanSupplier> BOUND = ThreadLocal.withInitial(() -> NEVER);

    private Cancellation() {}

    /** The binding of one piece of work; closing it restores the thread's previous signal. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Binds {@code stopRequested} to this thread until the returned scope is closed. */
    public static Scope bind(BooleanSupplier stopRequested) {
        BooleanSupplier previous = BOUND.get();
        BOUND.set(stopRequested);
        return () -> BOUND.set(previous);
    }

    /** True once the work bound to this thread was asked to stop. */
    public static boolean requested() {
        return BOUND.get().getAsBoolean();
    }

    /**
     * Throws when the work bound to this thread was asked to stop; {@code where} names the loop (say, "generation at
     * token 17 of 4096") for the log.
     */
    public static void check(String where) {
        if (requested()) {
            throw new CancellationException("cancelled during " + where);
        }
    }

    /** True when {@code e}, or one of its causes, is a stop asked for by {@link #check}. */
    public static boolean isCancellation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CancellationException) {
                return true;
            }
        }
        return false;
    }
}
