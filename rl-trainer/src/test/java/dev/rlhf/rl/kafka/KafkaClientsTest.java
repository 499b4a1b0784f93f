package dev.rlhf.rl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    @Test
    void waitingOnAnEventLoopIsRefusedInsteadOfDeadlocking() throws Exception {
        try (KafkaClients clients = KafkaClients.open(KafkaConnection.of("127.0.0.1:9"))) {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            clients.vertx().runOnContext(v -> {
                try {
                    // Completed by this very loop: waiting here would hang until the timeout.
                    KafkaClients.await(Promise.<Integer>promise().future(), Duration.ofMinutes(5), "a test call");
                    refused.complete(null);
                } catch (RuntimeException e) {
                    refused.complete(e);
                }
            });
            Throwable e = refused.get(30, TimeUnit.SECONDS);
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertTrue(
                    e.getMessage().startsWith("a test call: a Kafka call was awaited on a Vert.x event-loop thread"));
        }
    }

    @Test
    void aFailedOrLateFutureNamesTheRequest() {
        KafkaException failed = assertThrows(
                KafkaException.class,
                () -> KafkaClients.await(Future.failedFuture("broker said no"), "committing offsets"));
        assertEquals("committing offsets failed: broker said no", failed.getMessage());
        KafkaException late = assertThrows(
                KafkaException.class,
                () -> KafkaClients.await(Promise.promise().future(), Duration.ofMillis(50), "polling"));
        assertEquals("polling did not complete within 50 ms", late.getMessage());
    }
}
