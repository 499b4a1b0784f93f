package dev.rlhf.service.jobs.security;

import dev.rlhf.service.jobs.config.ApiConfig;
import dev.rlhf.service.jobs.rest.ErrorView;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <rlhf.api.token>} on every request that changes state (any method but GET,
 * HEAD and OPTIONS: starting and cancelling jobs) once a token is configured; without one, every request passes.
 * A missing or wrong token is answered 401 with a JSON error and {@code WWW-Authenticate: Bearer}. Tokens are compared
 * as SHA-256 digests with {@link MessageDigest#isEqual}, in time that reveals neither their content nor their length.
 */
public class BearerTokenFilter {

    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String SCHEME = "Bearer";
    private static final String CHALLENGE = "Bearer realm=\"rlhf-jobs\"";

    private final Optional<byte[]> expected;

    public BearerTokenFilter(ApiConfig config) {
        this.expected = config.token().filter(t -> !t.isBlank()).map(BearerTokenFilter::digest);
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (expected.isEmpty() || READS.contains(request.getMethod())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String[] schemeAndToken =
                header == null ? new String[0] : header.strip().split("\\s+", 2);
        if (schemeAndToken.length == 0 || !schemeAndToken[0].equalsIgnoreCase(SCHEME)) {
            return Optional.of(
                    unauthorized(CHALLENGE, request.getMethod() + " needs the header 'Authorization: Bearer <token>'"));
        }
        byte[] given = digest(schemeAndToken.length == 2 ? schemeAndToken[1] : "");
        if (!MessageDigest.isEqual(expected.get(), given)) {
            return Optional.of(unauthorized(CHALLENGE + ", error=\"invalid_token\"", "wrong bearer token"));
        }
        return Optional.empty();
    }

    private static Response unauthorized(String challenge, String message) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorView(message))
                .build();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
