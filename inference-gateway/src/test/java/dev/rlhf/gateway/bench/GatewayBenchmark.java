package dev.rlhf.gateway.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.export.ExportOptions;
import dev.rlhf.core.export.ModelRepository;
import dev.rlhf.core.export.TritonConfigs;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.proto.client.InferRequests;
import dev.rlhf.proto.client.RawTensors;
import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc;
import dev.rlhf.proto.inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.rlhf.proto.inference.ModelInferRequest;
import dev.rlhf.proto.inference.ModelStatistics;
import dev.rlhf.proto.inference.ModelStatisticsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reward-model scoring through the gateway under load (issue 14): requests/s, p50 / p99 latency and failed requests of
 * ModelInfer calls (one sequence of {@code --length} tokens each) at several client concurrencies for a fixed time,
 * with dynamic batching on and off; the CPU the gateway and the clients spend per request and the gateway's resident
 * memory before and after each concurrency (its peak at the end); and the same model called in-process through ONNX
 * Runtime at batch 1 and at {@code max_batch_size}, the baseline of the protocol's overhead and the ceiling of what
 * batching can gain. The gateway runs as its own process from {@code target/quarkus-app}; the clients share one gRPC
 * channel, as a rollout worker would. Exits 1 when any request failed.
 *
 * <pre>
 * ./mvnw -B -q -pl inference-gateway -am install -DskipTests
 * ./mvnw -B -q -pl inference-gateway exec:exec@bench [-Dbench.args="--runs 3 --seconds 8 --concurrency 1,16,64"]
 * </pre>
 *
 * Options: {@code --config} (model shape, default {@code ../configs/model/tiny.json}), {@code --vocab} (2000),
 * {@code --length} (64), {@code --max-batch-size} (8) and {@code --queue-delay-us} (1000) of the exported config, {@code
 * --runs} (3, the median is reported), {@code --warmup} and {@code --seconds} per run, {@code --threads} (ORT intra-op
 * threads, default: ORT's) and {@code --spinning} (false, the gateway's default), applied to the gateway and the baseline alike;
 * {@code --jar} the gateway to start (default {@code target/quarkus-app/quarkus-run.jar}; another build's, for an A/B).
 */
public final class GatewayBenchmark {

    private record Options(
            Path config,
            int vocab,
            int length,
            int maxBatchSize,
            long queueDelayMicros,
            int runs,
            double warmup,
            double seconds,
            int[] concurrency,
            int threads,
            boolean spinning,
            Path jar) {

        /** The ONNX Runtime settings as gateway system properties. */
        List<String> gatewayProperties() {
            List<String> properties = new ArrayList<>(List.of("-Dgateway.onnx.allow-spinning=" + spinning));
            if (threads > 0) {
                properties.add("-Dgateway.onnx.intra-op-threads=" + threads);
            }
            return properties;
        }

        /** The same settings for the in-process baseline. */
        OrtSession.SessionOptions sessionOptions() throws OrtException {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            return options;
        }
    }

    private GatewayBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Path work = Files.createTempDirectory("gateway-bench-");
        long errors = run(o, work);
        if (errors > 0) {
            System.err.printf("%d request(s) failed; the gateway's log is %s%n", errors, work.resolve("gateway.log"));
            System.exit(1);
        }
        try (Stream<Path> files = Files.walk(work)) { // kept after a failure: it holds the gateway's log
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Runs every configuration; returns the number of failed requests. */
    private static long run(Options o, Path work) throws Exception {
        Path repo = exportRewardModel(o, work.resolve("repo"));
        List<ModelInferRequest> requests = requests(o);
        System.out.printf(
                "model %s (vocab %d), %d tokens per request, max_batch_size %d, max_queue_delay %d us, %d cores, "
                        + "%d run(s) of %.0f s after %.0f s warm-up, medians%n",
                o.config(),
                o.vocab(),
                o.length(),
                o.maxBatchSize(),
                o.queueDelayMicros(),
                Runtime.getRuntime().availableProcessors(),
                o.runs(),
                o.seconds(),
                o.warmup());
        System.out.println("| path | clients | requests/s | p50 ms | p99 ms | errors | rows per execution "
                + "| gateway CPU ms per request | client CPU ms per request | gateway RSS MB, start -> end |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        LoadResult largestBatch = null;
        long errors = 0;
        for (int rows : new int[] {1, o.maxBatchSize()}) {
            largestBatch = ortBaseline(o, repo.resolve("rm/1/model.onnx"), requests, rows);
            errors += largestBatch.errors();
            System.out.printf(
                    "| in-process ORT, batch %d (requests = rows) | 1 | %s | %d | | %.2f | |%n",
                    rows, row(largestBatch), rows, largestBatch.clientCpuMillis());
        }
        Map<Boolean, Map<Integer, LoadResult>> gateway = new LinkedHashMap<>();
        for (boolean batching : new boolean[] {true, false}) {
            gateway.put(batching, gateway(o, repo, requests, batching, work.resolve("gateway.log")));
        }
        for (int c : o.concurrency()) {
            double off = gateway.get(false).get(c).requestsPerSecond();
            System.out.printf(
                    "  %d clients: batching on / off = %.2fx; the model's own ceiling (in-process ORT at batch %d, "
                            + "rows/s / batching off) = %.2fx%n",
                    c,
                    gateway.get(true).get(c).requestsPerSecond() / off,
                    o.maxBatchSize(),
                    largestBatch.requestsPerSecond() / off);
        }
        return errors
                + gateway.values().stream()
                        .flatMap(byClients -> byClients.values().stream())
                        .mapToLong(LoadResult::errors)
                        .sum();
    }

    /** One gateway process with batching on or off, loaded at each concurrency in turn; a table row each. */
    private static Map<Integer, LoadResult> gateway(
            Options o, Path repo, List<ModelInferRequest> requests, boolean batching, Path log) throws Exception {
        Map<Integer, LoadResult> byClients = new LinkedHashMap<>();
        try (GatewayProcess gateway = new GatewayProcess(
                        o.jar().toAbsolutePath(), repo, freePort(), batching, o.gatewayProperties(), log);
                Client client = new Client(gateway.port())) {
            for (int c : o.concurrency()) {
                GatewayProcess.Memory memoryBefore = gateway.memory();
                ModelStatistics before = client.statistics();
                List<LoadResult> runs = new ArrayList<>();
                for (int run = 0; run < o.runs(); run++) {
                    runs.add(LoadGenerator.run(
                            c,
                            o.warmup(),
                            o.seconds(),
                            i -> client.infer(requests.get(i % requests.size())),
                            gateway::cpuSeconds));
                    if (runs.get(run).errors() > 0) {
                        System.err.printf("  first failure: %s%n", LoadGenerator.firstFailure());
                    }
                }
                ModelStatistics after = client.statistics();
                double meanBatch = (double) (after.getInferenceCount() - before.getInferenceCount())
                        / (after.getExecutionCount() - before.getExecutionCount());
                LoadResult median = LoadResult.median(runs);
                byClients.put(c, median);
                System.out.printf(
                        "| gateway, dynamic batching %s | %d | %s | %.1f | %.2f | %.2f | %.0f -> %.0f |%n",
                        batching ? "on" : "off",
                        c,
                        row(median),
                        meanBatch,
                        median.serverCpuMillis(),
                        median.clientCpuMillis(),
                        memoryBefore.residentMb(),
                        gateway.memory().residentMb());
                System.err.printf("  runs: %s%n", runs);
            }
            System.out.printf(
                    "  gateway, dynamic batching %s: peak RSS (VmHWM) %.0f MB%n",
                    batching ? "on" : "off", gateway.memory().peakMb());
        }
        return byClients;
    }

    private static String row(LoadResult r) {
        return String.format(
                "%.0f | %.2f | %.2f | %d", r.requestsPerSecond(), r.p50Micros() / 1e3, r.p99Micros() / 1e3, r.errors());
    }

    /** A random reward model of the configured shape, exported as {@code ./rlhf export --role rm --cpu} would. */
    private static Path exportRewardModel(Options o, Path repo) {
        ObjectNode json = LlamaConfig.readTree(o.config());
        json.put("vocab_size", o.vocab());
        LlamaConfig config = LlamaConfig.parse(json, o.config());
        try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(config, 1), 2)) {
            ModelRepository.write(
                    repo,
                    "rm",
                    rm.languageModel().block(),
                    ExportOptions.rewardModel(rm.head().weight().getArray()),
                    new TritonConfigs.Serving(o.maxBatchSize(), false, 1, o.queueDelayMicros()),
                    null);
        }
        return repo;
    }

    private static List<ModelInferRequest> requests(Options o) {
        SplittableRandom random = new SplittableRandom(7);
        List<ModelInferRequest> requests = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            long[][] ids = {random.longs(o.length(), 0, o.vocab()).toArray()};
            long[][] mask = {new long[o.length()]};
            Arrays.fill(mask[0], 1);
            requests.add(InferRequests.int64("rm", Map.of("input_ids", ids, "attention_mask", mask), "rewards"));
        }
        return requests;
    }

    /**
     * The same model and inputs through ORT in this process, one call of {@code rows} sequences at a time, tensors built
     * per call; a "request" is one row, so requests/s are rows/s.
     */
    private static LoadResult ortBaseline(Options o, Path onnx, List<ModelInferRequest> requests, int rows)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<long[][]> ids = new ArrayList<>();
        for (int i = 0; i < requests.size(); i += rows) {
            long[][] batch = new long[rows][];
            for (int r = 0; r < rows; r++) {
                batch[r] = RawTensors.toInt64(
                        requests.get((i + r) % requests.size()).getRawInputContents(0));
            }
            ids.add(batch);
        }
        long[][] mask = new long[rows][o.length()];
        for (long[] row : mask) {
            Arrays.fill(row, 1);
        }
        try (OrtSession session = env.createSession(onnx.toString(), o.sessionOptions())) {
            List<LoadResult> runs = new ArrayList<>();
            for (int run = 0; run < o.runs(); run++) {
                LoadResult calls = LoadGenerator.run(
                        1,
                        o.warmup(),
                        o.seconds(),
                        i -> {
                            try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, ids.get(i % ids.size()));
                                    OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                                    OrtSession.Result result =
                                            session.run(Map.of("input_ids", idsTensor, "attention_mask", maskTensor))) {
                                result.get(0);
                            } catch (OrtException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        LoadGenerator.NO_CPU);
                runs.add(new LoadResult(
                        calls.requestsPerSecond() * rows,
                        calls.p50Micros(),
                        calls.p99Micros(),
                        calls.errors(),
                        Double.NaN,
                        calls.clientCpuMillis() / rows));
            }
            return LoadResult.median(runs);
        }
    }

    /** One channel for all client threads. */
    private static final class Client implements AutoCloseable {
        private final ManagedChannel channel;
        private final GRPCInferenceServiceBlockingStub stub;

        Client(int port) {
            channel = Grpc.newChannelBuilder("localhost:" + port, InsecureChannelCredentials.create())
                    .build();
            stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        }

        void infer(ModelInferRequest request) {
            stub.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(request);
        }

        ModelStatistics statistics() {
            return stub.modelStatistics(
                            ModelStatisticsRequest.newBuilder().setName("rm").build())
                    .getModelStats(0);
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Options parse(String[] args) {
        Path config = Path.of("../configs/model/tiny.json");
        int vocab = 2000;
        int length = 64;
        int maxBatch = 8;
        long delay = 1000;
        int runs = 3;
        double warmup = 3;
        double seconds = 8;
        int[] concurrency = {1, 16, 64};
        int threads = 0;
        boolean spinning = false;
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--config" -> config = Path.of(value);
                case "--vocab" -> vocab = Integer.parseInt(value);
                case "--length" -> length = Integer.parseInt(value);
                case "--max-batch-size" -> maxBatch = Integer.parseInt(value);
                case "--queue-delay-us" -> delay = Long.parseLong(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--warmup" -> warmup = Double.parseDouble(value);
                case "--seconds" -> seconds = Double.parseDouble(value);
                case "--concurrency" ->
                    concurrency = Arrays.stream(value.split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                case "--threads" -> threads = Integer.parseInt(value);
                case "--spinning" -> spinning = Boolean.parseBoolean(value);
                case "--jar" -> jar = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new Options(
                config, vocab, length, maxBatch, delay, runs, warmup, seconds, concurrency, threads, spinning, jar);
    }
}
