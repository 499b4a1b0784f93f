package dev.rlhf.rl.kafka;

/** A Kafka request that failed or did not complete in time; the message names the request (topic, group, offsets). */
public class KafkaException extends IllegalStateException {

    public KafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
