package dev.rlhf.service.jobs.security;

import dev.rlhf.core.security.BearerToken;
import dev.rlhf.service.jobs.config.ApiConfig;
import dev.rlhf.service.jobs.rest.ErrorView;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <rlhf.api.token>} on every request that changes state (any method but GET,
 * HEAD and OPTIONS: starting and cancelling jobs) once a token is configured; without one, every request passes.
 * A missing or wrong token is answered 401 with a JSON error and {@code WWW-Authenticate: Bearer}. Tokens are compared
 * through core's {@link BearerToken}, in constant time.
 */
public class BearerTokenFilter {

    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String CHALLENGE = "Bearer realm=\"rlhf-jobs\"";

    private final Optional<BearerToken> expected;

    public BearerTokenFilter(ApiConfig config) {
        this.expected = BearerToken.of(config.token());
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (expected.isEmpty() || READS.contains(request.getMethod())) {
            return Optional.empty();
        }
        return expected.get()
                .check(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .map(refusal -> switch (refusal) {
                    case MISSING ->
                        unauthorized(
                                CHALLENGE, request.getMethod() + " needs the header 'Authorization: Bearer <token>'");
                    case WRONG -> unauthorized(CHALLENGE + ", error=\"invalid_token\"", "wrong bearer token");
                });
    }

    private static Response unauthorized(String challenge, String message) {
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorView(message))
                .build();
    }
}
