package dev.rlhf.gateway.service;

import java.util.Optional;

/**
 * A request the gateway cannot serve, with a message meant for the caller (it names the model, input or field). The
 * protocol edge maps each kind to its status: {@code grpc.GrpcErrors}.
 */
public abstract sealed class GatewayException extends RuntimeException
        permits GatewayException.ModelNotFound,
                GatewayException.InvalidRequest,
                GatewayException.NotServable,
                GatewayException.Overloaded,
                GatewayException.Unavailable {

    protected GatewayException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No model (or no such version of it) under that name: gRPC NOT_FOUND. */
    public static final class ModelNotFound extends GatewayException {
        public ModelNotFound(String message) {
            super(message, null);
        }
    }

    /** The request itself is wrong (datatype, shape, size, contents): gRPC INVALID_ARGUMENT. */
    public static final class InvalidRequest extends GatewayException {
        private final String field;

        public InvalidRequest(String message) {
            this(message, (Throwable) null);
        }

        public InvalidRequest(String message, Throwable cause) {
            super(message, cause);
            this.field = null;
        }

        /** A request naming the field at fault ({@code max_tokens}, {@code messages[2].role}), for the OpenAI API. */
        public InvalidRequest(String field, String message) {
            super(message, null);
            this.field = field;
        }

        /** The request field at fault, when known. */
        public Optional<String> field() {
            return Optional.ofNullable(field);
        }
    }

    /** Too many requests are already admitted: HTTP 429, gRPC RESOURCE_EXHAUSTED; a retry later may succeed. */
    public static final class Overloaded extends GatewayException {
        public Overloaded(String message) {
            super(message, null);
        }
    }

    /** The model exists but cannot serve this kind of call (no tokenizer, no policy configured): FAILED_PRECONDITION. */
    public static final class NotServable extends GatewayException {
        public NotServable(String message) {
            super(message, null);
        }
    }

    /** The model is shutting down or failed while running: gRPC UNAVAILABLE or INTERNAL. */
    public static final class Unavailable extends GatewayException {
        private final boolean transientFailure;

        public Unavailable(String message, boolean transientFailure, Throwable cause) {
            super(message, cause);
            this.transientFailure = transientFailure;
        }

        /** True when a retry may succeed (shutdown, overload); false for a model that fails on valid input. */
        public boolean transientFailure() {
            return transientFailure;
        }
    }
}
