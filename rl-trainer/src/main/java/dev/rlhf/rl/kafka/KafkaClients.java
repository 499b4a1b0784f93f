package dev.rlhf.rl.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Vert.x instance the job's Kafka clients (vertx-kafka-client) run on, with the connection they share. Each client
 * does its Kafka I/O on its own thread and completes futures on an event loop; the learner and the workers are plain
 * threads that {@linkplain #await wait} for those futures with a timeout. Waiting on an event-loop thread would block
 * the very loop that completes the future, so {@link #await} refuses to.
 */
public final class KafkaClients implements AutoCloseable {

    /**
     * The longest wait for a send, commit or metadata request: above the clients' own limits
     * ({@code delivery.timeout.ms} 120 s, {@code default.api.timeout.ms} 60 s), so a request's own error comes first.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(150);

    private final Vertx vertx;
    private final KafkaConnection connection;

    private KafkaClients(Vertx vertx, KafkaConnection connection) {
        this.vertx = vertx;
        this.connection = connection;
    }

    /** Starts a Vert.x instance for the clients of {@code connection}; {@link #close()} stops it. */
    public static KafkaClients open(KafkaConnection connection) {
        return new KafkaClients(Vertx.vertx(), connection);
    }

    public KafkaConnection connection() {
        return connection;
    }

    Vertx vertx() {
        return vertx;
    }

    /** Client settings: a role's defaults, then the connection's shared settings, with the bootstrap servers. */
    Properties properties(Map<String, Object> roleDefaults) {
        Properties properties = new Properties();
        properties.putAll(connection.clientConfig(roleDefaults));
        return properties;
    }

    /** Waits up to {@link #REQUEST_TIMEOUT} for {@code future}; {@code what} names the request in an error. */
    static <T> T await(Future<T> future, String what) {
        return await(future, REQUEST_TIMEOUT, what);
    }

    /**
     * Waits up to {@code timeout} for {@code future}. Must not run on a Vert.x event-loop thread (it would wait for the
     * loop it blocks); a failed future throws {@link KafkaException} naming {@code what}, with the cause.
     */
    static <T> T await(Future<T> future, Duration timeout, String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + ": a Kafka call was awaited on a Vert.x event-loop thread ("
                    + Thread.currentThread().getName() + "); the learner and workers wait on their own threads");
        }
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException(what + " did not complete within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting: " + what, e);
        }
    }

    /** Stops the Vert.x instance; close the clients first. */
    @Override
    public void close() {
        await(vertx.close(), "stopping the Kafka clients' Vert.x instance");
    }
}
