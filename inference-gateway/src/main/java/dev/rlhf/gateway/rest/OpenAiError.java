package dev.rlhf.gateway.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.gateway.mapping.OpenAiJson;
import dev.rlhf.gateway.service.GatewayException;
import org.jboss.logging.Logger;

/**
 * The one place where the gateway's failures become OpenAI errors: a bad request 400 {@code invalid_request_error}
 * naming its {@code param}, an unknown model 404 {@code model_not_found}, a full queue 429, a gateway without a
 * policy (or its chat template) 400, anything else 500 (and logged).
 */
record OpenAiError(int status, String message, String type, String param, String code) {

    private static final Logger LOG = Logger.getLogger(OpenAiError.class);

    static OpenAiError of(RuntimeException e) {
        if (e instanceof GatewayException.InvalidRequest invalid) {
            return new OpenAiError(
                    400,
                    e.getMessage(),
                    "invalid_request_error",
                    invalid.field().orElse(null),
                    null);
        } else if (e instanceof GatewayException.ModelNotFound) {
            return new OpenAiError(404, e.getMessage(), "invalid_request_error", "model", "model_not_found");
        } else if (e instanceof GatewayException.Overloaded) {
            return new OpenAiError(429, e.getMessage(), "rate_limit_error", null, "rate_limit_exceeded");
        } else if (e instanceof GatewayException.NotServable) {
            return new OpenAiError(400, e.getMessage(), "invalid_request_error", "model", "model_not_servable");
        } else if (e instanceof GatewayException.Unavailable u && u.transientFailure()) {
            return new OpenAiError(503, e.getMessage(), "server_error", null, "unavailable");
        }
        LOG.error("chat completion failed", e);
        return new OpenAiError(500, "internal error: " + e.getMessage(), "server_error", null, null);
    }

    ObjectNode body() {
        return OpenAiJson.error(message, type, param, code);
    }
}
