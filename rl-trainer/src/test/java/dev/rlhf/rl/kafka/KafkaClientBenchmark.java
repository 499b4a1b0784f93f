package dev.rlhf.rl.kafka;

import dev.rlhf.proto.v1.Rollout;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes the same rollouts through the plain Kafka client and through vertx-kafka-client against the embedded
 * broker, and reports records per second (median of the runs, after one warm-up run of each).
 *
 * <p>Each run is a fresh consumer in a fresh group reading the whole topic, and the clock runs from {@code subscribe}
 * to the last record deserialized into a {@code Rollout}: what a learner sees when it (re)starts. Three ways:
 * <ul>
 *   <li>{@code kafka-clients poll}: the plain {@code KafkaConsumer.poll} in a loop (the client used before issue 14);
 *   <li>{@code vertx handler}: Vert.x's record handler on the event loop (its idiomatic streaming model);
 *   <li>{@code vertx poll}: Vert.x's {@code poll(Duration)} future, awaited by the calling thread, as
 *       {@link RolloutLog.Reader} does (the Vert.x shape that fits a blocking consume, train, checkpoint, commit loop).
 * </ul>
 *
 * <p>Then the learner's loop itself through each client ({@link LearnerLoops}): batches of 512, a blocking step of
 * {@code --step-ms}, a commit after each step; reported as wall time per step beyond the step.
 *
 * <pre>./mvnw -B -q -pl rl-trainer test-compile exec:exec@bench -Dbench.args="--records 20000 --runs 3"</pre>
 */
public final class KafkaClientBenchmark {

    private static final String JOB = "bench";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private interface Client {
        /** Reads {@code records} records in consumer group {@code group}; returns [millis to first, millis to last]. */
        double[] consume(String group, int records) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int records = intArg(args, "--records", 20_000);
        int runs = intArg(args, "--runs", 3);
        int tokens = intArg(args, "--tokens", 300);
        int partitions = intArg(args, "--partitions", 4);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaClients kafka = KafkaClients.open(broker.connection())) {
            String bootstrap = broker.bootstrapServers();
            try (TopicAdmin admin = new TopicAdmin(kafka)) {
                admin.ensure(TopicNames.rollouts(JOB), partitions);
            }
            Rollout sample = rollout(0, tokens);
            long t0 = System.nanoTime();
            try (RolloutLog.Publisher publisher = RolloutLog.publisher(kafka, JOB, "bench")) {
                for (int start = 0; start < records; start += 1000) {
                    publisher.publishAll(IntStream.range(start, Math.min(records, start + 1000))
                            .mapToObj(i -> rollout(i, tokens))
                            .toList());
                }
            }
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "broker start %d ms; %d rollouts of %d response tokens, %d bytes each, %d partitions;"
                            + " produced (idempotent, acks=all) in %.2f s = %.0f records/s%n",
                    broker.startMillis(),
                    records,
                    tokens,
                    sample.getSerializedSize(),
                    partitions,
                    produceSeconds,
                    records / produceSeconds);

            Vertx vertx = Vertx.vertx();
            try {
                Map<String, Client> clients = new LinkedHashMap<>();
                clients.put("kafka-clients poll", (group, n) -> plainPoll(bootstrap, group, n));
                clients.put("vertx handler", (group, n) -> vertxHandler(vertx, bootstrap, group, n));
                clients.put("vertx poll", (group, n) -> vertxPoll(vertx, bootstrap, group, n));
                run(clients, records, runs, sample.getSerializedSize());
                runLearnerLoops(vertx, bootstrap, records, runs, intArg(args, "--step-ms", 20));
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        }
    }

    private static void run(Map<String, Client> clients, int records, int runs, int recordBytes) throws Exception {
        Map<String, List<Double>> rates = new HashMap<>();
        Map<String, List<Double>> firsts = new HashMap<>();
        Map<String, List<Double>> cpus = new HashMap<>();
        List<String> names = new ArrayList<>(clients.keySet());
        for (int run = 0; run <= runs; run++) {
            // Alternate the order so no client always runs first (page cache, JIT, GC state).
            List<String> order = new ArrayList<>(names);
            Collections.rotate(order, run);
            for (String name : order) {
                long cpu0 = processCpuNanos();
                double[] ms = clients.get(name).consume("bench-" + name.replace(' ', '-') + "-" + run, records);
                double cpuPer1000 = (processCpuNanos() - cpu0) / 1e6 / records * 1000;
                double rate = records / (ms[1] / 1000);
                System.out.printf(
                        Locale.ROOT,
                        "%s %-20s %8.0f records/s (first record after %.0f ms, all after %.0f ms), CPU %.1f ms per"
                                + " 1000%n",
                        run == 0 ? "warm-up" : "run " + run + "  ",
                        name,
                        rate,
                        ms[0],
                        ms[1],
                        cpuPer1000);
                if (run > 0) {
                    rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
                    firsts.computeIfAbsent(name, k -> new ArrayList<>()).add(ms[0]);
                    cpus.computeIfAbsent(name, k -> new ArrayList<>()).add(cpuPer1000);
                }
            }
        }
        System.out.println();
        System.out.printf(
                "| client | records/s (median of %d) | MB/s | first record (ms) | process CPU ms per 1000 records |%n",
                runs);
        System.out.println("|---|---|---|---|---|");
        for (String name : names) {
            double rate = median(rates.get(name));
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.0f | %.1f | %.0f | %.1f |%n",
                    name,
                    rate,
                    rate * recordBytes / 1e6,
                    median(firsts.get(name)),
                    median(cpus.get(name)));
        }
    }

    /** The learner's consume, step, commit loop through each client: wall time beyond the steps themselves. */
    private static void runLearnerLoops(Vertx vertx, String bootstrap, int records, int runs, long stepMillis)
            throws Exception {
        int steps = records / LearnerLoops.BATCH;
        String topic = TopicNames.rollouts(JOB);
        Map<String, List<Double>> overheads = new HashMap<>();
        Map<String, List<Double>> loopCpus = new HashMap<>();
        for (int run = 0; run <= runs; run++) {
            for (String name : run % 2 == 0 ? List.of("kafka-clients", "vertx") : List.of("vertx", "kafka-clients")) {
                Map<String, String> config = config(bootstrap, "bench-loop-" + name + "-" + run);
                long cpu0 = processCpuNanos();
                double millis = name.equals("vertx")
                        ? LearnerLoops.vertx(vertx, config, topic, steps, stepMillis)
                        : LearnerLoops.plain(config, topic, steps, stepMillis);
                double cpuPerStep = (processCpuNanos() - cpu0) / 1e6 / steps;
                double overhead = (millis - steps * stepMillis) / steps;
                System.out.printf(
                        Locale.ROOT,
                        "%s learner loop %-14s %d steps of %d in %.0f ms: %.1f ms per step beyond the %d ms step,"
                                + " CPU %.1f ms per step%n",
                        run == 0 ? "warm-up" : "run " + run + "  ",
                        name,
                        steps,
                        LearnerLoops.BATCH,
                        millis,
                        overhead,
                        stepMillis,
                        cpuPerStep);
                if (run > 0) {
                    overheads.computeIfAbsent(name, k -> new ArrayList<>()).add(overhead);
                    loopCpus.computeIfAbsent(name, k -> new ArrayList<>()).add(cpuPerStep);
                }
            }
        }
        System.out.println();
        System.out.printf(
                "| learner loop | wall time per step beyond the step, ms (median of %d) | process CPU ms per step |%n",
                runs);
        System.out.println("|---|---|---|");
        overheads.forEach((name, values) -> System.out.printf(
                Locale.ROOT, "| %s | %.1f | %.1f |%n", name, median(values), median(loopCpus.get(name))));
    }

    private static double[] plainPoll(String bootstrap, String group, int records) {
        long t0 = System.nanoTime();
        long first = 0;
        int count = 0;
        try (KafkaConsumer<String, Rollout> consumer = new KafkaConsumer<>(
                new HashMap<>(config(bootstrap, group)), new StringDeserializer(), ProtoSerde.of(Rollout.parser()))) {
            consumer.subscribe(List.of(TopicNames.rollouts(JOB)));
            long deadline = t0 + TIMEOUT.toNanos();
            while (count < records && System.nanoTime() < deadline) {
                int polled = consumer.poll(Duration.ofMillis(100)).count();
                if (polled > 0 && count == 0) {
                    first = System.nanoTime();
                }
                count += polled;
            }
            return millis(t0, first, System.nanoTime(), count, records);
        }
    }

    private static double[] vertxHandler(Vertx vertx, String bootstrap, String group, int records) throws Exception {
        CompletableFuture<Long> firstAt = new CompletableFuture<>();
        CompletableFuture<Long> lastAt = new CompletableFuture<>();
        AtomicInteger count = new AtomicInteger();
        long t0 = System.nanoTime();
        io.vertx.kafka.client.consumer.KafkaConsumer<String, Rollout> consumer = vertxConsumer(vertx, bootstrap, group);
        consumer.handler(record -> {
            int n = count.incrementAndGet();
            if (n == 1) {
                firstAt.complete(System.nanoTime());
            }
            if (n == records) {
                lastAt.complete(System.nanoTime());
            }
        });
        consumer.subscribe(TopicNames.rollouts(JOB));
        try {
            long last = lastAt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return millis(t0, firstAt.get(), last, count.get(), records);
        } finally {
            consumer.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    private static double[] vertxPoll(Vertx vertx, String bootstrap, String group, int records) throws Exception {
        long t0 = System.nanoTime();
        long first = 0;
        int count = 0;
        io.vertx.kafka.client.consumer.KafkaConsumer<String, Rollout> consumer = vertxConsumer(vertx, bootstrap, group);
        try {
            consumer.subscribe(TopicNames.rollouts(JOB))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            long deadline = t0 + TIMEOUT.toNanos();
            while (count < records && System.nanoTime() < deadline) {
                KafkaConsumerRecords<String, Rollout> batch = consumer.poll(Duration.ofMillis(100))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get();
                if (batch.size() > 0 && count == 0) {
                    first = System.nanoTime();
                }
                count += batch.size();
            }
            return millis(t0, first, System.nanoTime(), count, records);
        } finally {
            consumer.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    private static io.vertx.kafka.client.consumer.KafkaConsumer<String, Rollout> vertxConsumer(
            Vertx vertx, String bootstrap, String group) {
        return io.vertx.kafka.client.consumer.KafkaConsumer.create(
                vertx, config(bootstrap, group), new StringDeserializer(), ProtoSerde.of(Rollout.parser()));
    }

    private static Map<String, String> config(String bootstrap, String group) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
    }

    private static double[] millis(long t0, long first, long last, int count, int records) {
        if (count < records) {
            throw new IllegalStateException("read " + count + " of " + records + " records within " + TIMEOUT);
        }
        return new double[] {(first - t0) / 1e6, (last - t0) / 1e6};
    }

    private static Rollout rollout(int index, int tokens) {
        return TestRecords.rollout(JOB, index / 512, index % 512, index / 512, tokens);
    }

    /** CPU time of the whole process (broker included: the same work for every client), all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
