package dev.rlhf.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A configured bearer token, checked against an {@code Authorization} value ({@code Bearer <token>}) as the job API
 * (HTTP header) and the gateway (gRPC metadata {@code authorization}) receive it. Tokens are compared as SHA-256
 * digests with {@link MessageDigest#isEqual}, in time that reveals neither their content nor their length.
 */
public final class BearerToken {

    /** Why a request's authorization was refused, meant for the caller. */
    public enum Refusal {
        /** No {@code Bearer} credentials at all. */
        MISSING,
        /** A token that is not the configured one. */
        WRONG
    }

    private static final String SCHEME = "Bearer";

    private final byte[] expected;

    private BearerToken(String token) {
        this.expected = digest(token);
    }

    /** The configured token; empty when unset or blank (then every request passes). */
    public static Optional<BearerToken> of(Optional<String> configured) {
        return configured.filter(t -> !t.isBlank()).map(BearerToken::new);
    }

    /** Why {@code authorization} (the header or metadata value, may be null) is refused; empty when it matches. */
    public Optional<Refusal> check(String authorization) {
        String[] schemeAndToken =
                authorization == null ? new String[0] : authorization.strip().split("\\s+", 2);
        if (schemeAndToken.length == 0 || !schemeAndToken[0].equalsIgnoreCase(SCHEME)) {
            return Optional.of(Refusal.MISSING);
        }
        byte[] given = digest(schemeAndToken.length == 2 ? schemeAndToken[1] : "");
        return MessageDigest.isEqual(expected, given) ? Optional.empty() : Optional.of(Refusal.WRONG);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
