package dev.rlhf.proto.client;

import java.time.Duration;
import java.util.Optional;

/**
 * How an {@link InferenceClient} calls its server.
 *
 * @param deadline time allowed for one attempt of one call (not for all attempts together)
 * @param maxAttempts attempts per call, at least 1; only UNAVAILABLE and DEADLINE_EXCEEDED are retried
 * @param baseDelay pause before the second attempt; each further pause doubles it
 * @param maxDelay upper bound on one pause
 * @param maxMessageBytes largest response accepted; a policy's logits for a whole batch exceed gRPC's 4 MiB default
 * @param token sent with every call as {@code authorization: Bearer <token>}, what a gateway started with
 *     {@code GATEWAY_TOKEN} requires; empty sends none
 */
public record ClientOptions(
        Duration deadline,
        int maxAttempts,
        Duration baseDelay,
        Duration maxDelay,
        int maxMessageBytes,
        Optional<String> token) {

    public ClientOptions {
        requirePositive(deadline, "deadline");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry delays must not be negative, got " + baseDelay + ", " + maxDelay);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        if (token.isPresent() && (token.get().isBlank() || token.get().chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            throw new IllegalArgumentException("a bearer token must be non-empty printable ASCII without spaces");
        }
    }

    /** 30 s per attempt, 4 attempts, pauses 100 ms, 200 ms, 400 ms (at most 2 s), responses up to 256 MiB. */
    public static ClientOptions defaults() {
        return new ClientOptions(
                Duration.ofSeconds(30), 4, Duration.ofMillis(100), Duration.ofSeconds(2), 256 << 20, Optional.empty());
    }

    public ClientOptions withDeadline(Duration value) {
        return new ClientOptions(value, maxAttempts, baseDelay, maxDelay, maxMessageBytes, token);
    }

    public ClientOptions withMaxAttempts(int value) {
        return new ClientOptions(deadline, value, baseDelay, maxDelay, maxMessageBytes, token);
    }

    public ClientOptions withBaseDelay(Duration value) {
        return new ClientOptions(deadline, maxAttempts, value, maxDelay, maxMessageBytes, token);
    }

    public ClientOptions withMaxDelay(Duration value) {
        return new ClientOptions(deadline, maxAttempts, baseDelay, value, maxMessageBytes, token);
    }

    public ClientOptions withMaxMessageBytes(int value) {
        return new ClientOptions(deadline, maxAttempts, baseDelay, maxDelay, value, token);
    }

    /** Sends {@code value} as the bearer token; null or empty sends none. */
    public ClientOptions withToken(String value) {
        return new ClientOptions(
                deadline,
                maxAttempts,
                baseDelay,
                maxDelay,
                maxMessageBytes,
                Optional.ofNullable(value).filter(v -> !v.isEmpty()));
    }

    /** The pause after failed attempt {@code attempt} (1-based): {@code min(baseDelay * 2^(attempt-1), maxDelay)}. */
    public Duration backoff(int attempt) {
        int doublings = Math.min(attempt - 1, 30);
        Duration delay = baseDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
