package dev.rlhf.rl.kafka;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Waits for producer acknowledgements, so that a caller knows its records are stored before it moves on. */
final class Acks {

    private Acks() {}

    static void await(List<Future<RecordMetadata>> acks, String topic) {
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to topic " + topic + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to topic " + topic, e);
        }
    }
}
