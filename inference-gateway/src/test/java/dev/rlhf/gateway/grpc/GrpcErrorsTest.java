package dev.rlhf.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Where a call completed by another thread (a model's batch worker) is answered. */
class GrpcErrorsTest {

    @Test
    void anAnswerIsWrittenOnTheCallsEventLoopNotOnTheThreadThatCompletedIt() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Context context = vertx.getOrCreateContext();
            CompletableFuture<String> result = new CompletableFuture<>();
            AtomicReference<Thread> eventLoop = new AtomicReference<>();
            AtomicReference<Thread> answeredOn = new AtomicReference<>();
            CountDownLatch answered = new CountDownLatch(1);
            StreamObserver<String> out = new StreamObserver<>() {
                @Override
                public void onNext(String value) {
                    answeredOn.set(Thread.currentThread());
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    answered.countDown();
                }
            };
            CountDownLatch called = new CountDownLatch(1);
            context.runOnContext(ignored -> {
                eventLoop.set(Thread.currentThread());
                GrpcErrors.complete(out, () -> result);
                called.countDown();
            });
            assertTrue(called.await(10, TimeUnit.SECONDS));

            Thread worker = new Thread(() -> result.complete("rewards"), "model-rm-0");
            worker.start();
            worker.join();
            assertTrue(answered.await(10, TimeUnit.SECONDS));
            assertEquals(eventLoop.get(), answeredOn.get());
            assertNotEquals(worker, answeredOn.get());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
