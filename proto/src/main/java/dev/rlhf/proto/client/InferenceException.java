package dev.rlhf.proto.client;

import io.grpc.Status;

/**
 * A call to an inference server that failed, after retries where the failure was transient.
 *
 * <p>The message reads {@code "<rpc> of model '<model>' at <endpoint> failed after <n> attempt(s): <status>"} (without
 * the model part for server-level calls), so it can be logged as is.
 */
public class InferenceException extends RuntimeException {
    private final String endpoint;
    private final String model;
    private final Status.Code code;

    public InferenceException(String message, String endpoint, String model, Status.Code code, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.model = model;
        this.code = code;
    }

    /** The server as the client names it ({@code host:port}, or the label given with a channel). */
    public String endpoint() {
        return endpoint;
    }

    /** The model the call was about; empty for server-level calls. */
    public String model() {
        return model;
    }

    /** The gRPC status code of the last attempt; {@code INTERNAL} for a response the client could not decode. */
    public Status.Code code() {
        return code;
    }
}
