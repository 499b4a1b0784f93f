package dev.rlhf.rl.kafka;

import java.time.Duration;

/**
 * No Kafka broker answered at the configured bootstrap address in time. A configuration error as far as a job is
 * concerned ({@code kafka.bootstrap}), hence an {@link IllegalArgumentException}: the command line's exit 2.
 */
public final class BrokerUnreachableException extends IllegalArgumentException {

    public BrokerUnreachableException(String bootstrapServers, Duration timeout, Throwable cause) {
        super(
                "kafka.bootstrap: no Kafka broker answered at " + bootstrapServers + " within " + timeout.toSeconds()
                        + " s (kafka.connect_timeout_s)",
                cause);
    }
}
