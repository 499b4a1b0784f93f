package dev.rlhf.gateway.grpc;

import dev.rlhf.gateway.service.GatewayException;
import dev.rlhf.proto.client.InferenceException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one place where the gateway's failures become gRPC statuses: unknown model NOT_FOUND, bad request
 * INVALID_ARGUMENT, unservable call FAILED_PRECONDITION, shutdown UNAVAILABLE, anything else INTERNAL (and logged). A
 * forwarded model's failure keeps the upstream status, so callers see what the upstream server said.
 */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {}

    static StatusRuntimeException toStatus(Throwable error) {
        Throwable e = unwrap(error);
        Status status;
        if (e instanceof StatusRuntimeException s) {
            return s;
        } else if (e instanceof GatewayException.ModelNotFound) {
            status = Status.NOT_FOUND;
        } else if (e instanceof GatewayException.InvalidRequest) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof GatewayException.NotServable) {
            status = Status.FAILED_PRECONDITION;
        } else if (e instanceof GatewayException.Overloaded) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (e instanceof GatewayException.Unavailable u) {
            status = u.transientFailure() ? Status.UNAVAILABLE : Status.INTERNAL;
        } else if (e instanceof InferenceException forwarded) {
            return upstream(forwarded);
        } else {
            LOG.error("internal error", e);
            status = Status.INTERNAL;
        }
        return status.withDescription(e.getMessage()).withCause(e).asRuntimeException();
    }

    /** The upstream answer as is, except transport failures, whose message then names the endpoint. */
    private static StatusRuntimeException upstream(InferenceException e) {
        boolean transport = e.code() == Status.Code.UNAVAILABLE || e.code() == Status.Code.DEADLINE_EXCEEDED;
        if (!transport && e.getCause() instanceof StatusRuntimeException original) {
            return original.getStatus().asRuntimeException();
        }
        return Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException();
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Answers a unary call with {@code body}'s value, or with the status of what it threw. */
    static <T> void reply(StreamObserver<T> out, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e));
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }

    /**
     * Answers a unary call when {@code body}'s stage completes. The answer is written on the call's own Vert.x context
     * (its event loop) when it has one, not on the thread that completes the stage: that is a model's batch worker,
     * which would otherwise serialise, meter and queue each caller's response one after another before it can start
     * the next execution.
     */
    static <T> void complete(StreamObserver<T> out, Supplier<? extends CompletionStage<T>> body) {
        CompletionStage<T> stage;
        try {
            stage = body.get();
        } catch (RuntimeException e) {
            out.onError(toStatus(e));
            return;
        }
        Context context = Vertx.currentContext();
        Executor replyOn = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        stage.whenCompleteAsync(
                (value, error) -> {
                    if (error != null) {
                        out.onError(toStatus(error));
                    } else {
                        out.onNext(value);
                        out.onCompleted();
                    }
                },
                replyOn);
    }
}
