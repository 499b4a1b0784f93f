package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.Rollout;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The learner's loop written against each client, for {@link KafkaClientBenchmark}: take a batch of rollouts, run a
 * blocking step (a sleep standing in for a DJL PPO update and its checkpoint), commit the batch's offsets, repeat.
 */
final class LearnerLoops {

    static final int BATCH = 512;

    private LearnerLoops() {}

    /** Plain kafka-clients: one thread polls, steps and commits; returns the wall time in milliseconds. */
    static double plain(Map<String, String> config, String topic, int steps, long stepMillis)
            throws InterruptedException {
        long t0 = System.nanoTime();
        try (KafkaConsumer<String, Rollout> consumer =
                new KafkaConsumer<>(new HashMap<>(config), new StringDeserializer(), ProtoSerde.of(Rollout.parser()))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, Rollout>> pending = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                while (pending.size() < BATCH) {
                    consumer.poll(Duration.ofMillis(100)).forEach(pending::add);
                }
                List<ConsumerRecord<String, Rollout>> batch = new ArrayList<>(pending.subList(0, BATCH));
                pending.subList(0, BATCH).clear();
                Thread.sleep(stepMillis);
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, Rollout> r : batch) {
                    offsets.merge(
                            new TopicPartition(r.topic(), r.partition()),
                            new OffsetAndMetadata(r.offset() + 1),
                            (a, b) -> a.offset() >= b.offset() ? a : b);
                }
                consumer.commitSync(offsets);
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * Vert.x the idiomatic way: the record handler buffers on the event loop; a full batch pauses the stream, the step
     * runs in {@code executeBlocking} (it must not block the event loop), the commit future follows, then resume.
     */
    static double vertx(Vertx vertx, Map<String, String> config, String topic, int steps, long stepMillis)
            throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<Void> done = new CompletableFuture<>();
        io.vertx.kafka.client.consumer.KafkaConsumer<String, Rollout> consumer =
                io.vertx.kafka.client.consumer.KafkaConsumer.create(
                        vertx, config, new StringDeserializer(), ProtoSerde.of(Rollout.parser()));
        List<KafkaConsumerRecord<String, Rollout>> pending = new ArrayList<>();
        int[] stepsDone = {0};
        boolean[] stepping = {false};
        consumer.handler(record -> {
            pending.add(record);
            if (pending.size() < BATCH || stepping[0]) {
                return;
            }
            stepping[0] = true;
            consumer.pause();
            List<KafkaConsumerRecord<String, Rollout>> batch = new ArrayList<>(pending.subList(0, BATCH));
            pending.subList(0, BATCH).clear();
            vertx.executeBlocking(() -> {
                        Thread.sleep(stepMillis);
                        return null;
                    })
                    .compose(v -> consumer.commit(vertxOffsets(batch)))
                    .onComplete(result -> {
                        stepping[0] = false;
                        if (result.failed()) {
                            done.completeExceptionally(result.cause());
                        } else if (++stepsDone[0] == steps) {
                            done.complete(null);
                        } else {
                            consumer.resume();
                        }
                    });
        });
        consumer.subscribe(topic);
        try {
            done.get(5, TimeUnit.MINUTES);
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            consumer.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    private static Map<io.vertx.kafka.client.common.TopicPartition, io.vertx.kafka.client.consumer.OffsetAndMetadata>
            vertxOffsets(List<KafkaConsumerRecord<String, Rollout>> batch) {
        Map<io.vertx.kafka.client.common.TopicPartition, io.vertx.kafka.client.consumer.OffsetAndMetadata> offsets =
                new HashMap<>();
        for (KafkaConsumerRecord<String, Rollout> r : batch) {
            offsets.merge(
                    new io.vertx.kafka.client.common.TopicPartition(r.topic(), r.partition()),
                    new io.vertx.kafka.client.consumer.OffsetAndMetadata(r.offset() + 1, ""),
                    (a, b) -> a.getOffset() >= b.getOffset() ? a : b);
        }
        return offsets;
    }
}
