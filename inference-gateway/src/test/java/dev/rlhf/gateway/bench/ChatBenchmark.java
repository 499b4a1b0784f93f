package dev.rlhf.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Chat-completion latency through the gateway's OpenAI API on a random tiny policy: time to first token (from sending
 * the request to the first content delta), per-request decode rate ((completion tokens - 1) / time from the first to
 * the last token) and the total tokens/s of all clients, at several client concurrencies. Every client sends streamed
 * requests ({@code stream_options.include_usage}) back to back over HTTP/1.1; the gateway runs as its own process from
 * {@code target/quarkus-app}.
 *
 * <pre>
 * ./mvnw -B -q -pl inference-gateway -am install -DskipTests
 * ./mvnw -B -q -pl inference-gateway exec:exec@chat-bench [-Dbench.args="--runs 3 --concurrency 1,8,32"]
 * </pre>
 *
 * Options: {@code --config} (model shape, default {@code ../configs/model/tiny.json}), {@code --vocab} (2000, a
 * byte-level BPE trained on the start of {@code ../data/tinyshakespeare.txt}), {@code --max-tokens} (32 per request),
 * {@code --requests} (per client and run, 4), {@code --runs} (3; medians are reported), {@code --concurrency}.
 */
public final class ChatBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Options(Path config, int vocab, int maxTokens, int requests, int runs, int[] concurrency) {}

    /** One streamed request: nanoseconds to its first and last token, and its completion tokens. */
    private record Sample(long firstTokenNanos, long lastTokenNanos, int tokens) {
        double decodeTokensPerSecond() {
            long span = lastTokenNanos - firstTokenNanos;
            return span <= 0 ? Double.NaN : (tokens - 1) / (span / 1e9);
        }
    }

    /** The medians of one run. */
    private record RunResult(
            double ttftMillis, double p90TtftMillis, double decodeTokensPerSecond, double totalTokensPerSecond) {}

    private ChatBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Path work = Files.createTempDirectory("chat-bench-");
        Path policy = policy(o, work);
        Files.createDirectories(work.resolve("repo"));
        System.out.printf(
                "policy %s (vocab %d), %d new tokens per request, %d requests per client and run, %d cores%n",
                o.config(),
                o.vocab(),
                o.maxTokens(),
                o.requests(),
                Runtime.getRuntime().availableProcessors());
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        int port = freePort();
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (GatewayProcess gateway = new GatewayProcess(
                jar,
                work.resolve("repo"),
                port,
                true,
                List.of("-Dgateway.policy.path=" + policy, "-Dgateway.policy.max-queue=256"),
                work.resolve("gateway.log"))) {
            URI uri = URI.create("http://localhost:" + port + "/v1/chat/completions");
            runAt(http, uri, o, 2, 1); // warm-up: JIT, PyTorch's first calls
            System.out.println(
                    "| clients | TTFT p50 ms | TTFT p90 ms | decode tokens/s per request (p50) | tokens/s, all"
                            + " clients | runs (TTFT p50 ms / decode tok/s) |");
            System.out.println("|---|---|---|---|---|---|");
            for (int c : o.concurrency()) {
                List<RunResult> runs = new ArrayList<>();
                for (int run = 0; run < o.runs(); run++) {
                    runs.add(runAt(http, uri, o, c, o.requests()));
                }
                System.out.printf(
                        "| %d | %.1f | %.1f | %.0f | %.0f | %s |%n",
                        c,
                        median(runs.stream().mapToDouble(RunResult::ttftMillis).toArray()),
                        median(runs.stream()
                                .mapToDouble(RunResult::p90TtftMillis)
                                .toArray()),
                        median(runs.stream()
                                .mapToDouble(RunResult::decodeTokensPerSecond)
                                .toArray()),
                        median(runs.stream()
                                .mapToDouble(RunResult::totalTokensPerSecond)
                                .toArray()),
                        runs.stream()
                                .map(r -> String.format("%.1f / %.0f", r.ttftMillis(), r.decodeTokensPerSecond()))
                                .toList());
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static RunResult runAt(HttpClient http, URI uri, Options o, int clients, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<List<Sample>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    List<Sample> samples = new ArrayList<>();
                    for (int r = 0; r < requests; r++) {
                        samples.add(stream(http, uri, o.maxTokens(), client * 1000L + r));
                    }
                    return samples;
                }));
            }
            List<Sample> all = new ArrayList<>();
            for (Future<List<Sample>> f : futures) {
                all.addAll(f.get());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] ttft = all.stream()
                    .mapToDouble(s -> s.firstTokenNanos() / 1e6)
                    .sorted()
                    .toArray();
            return new RunResult(
                    median(ttft),
                    ttft[(int) Math.min(ttft.length - 1, Math.floor(0.9 * ttft.length))],
                    median(all.stream()
                            .mapToDouble(Sample::decodeTokensPerSecond)
                            .toArray()),
                    all.stream().mapToInt(Sample::tokens).sum() / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Sample stream(HttpClient http, URI uri, int maxTokens, long seed) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "policy");
        body.putArray("messages").addObject().put("role", "user").put("content", "Speak, what trade art thou?");
        body.put("max_tokens", maxTokens)
                .put("temperature", 1.0)
                .put("seed", seed)
                .put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": "
                    + String.join("\n", response.body().toList()));
        }
        long first = -1;
        long last = -1;
        int tokens = -1;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                continue;
            }
            JsonNode chunk = JSON.readTree(line.substring(6));
            if (chunk.path("usage").isObject()) {
                tokens = chunk.get("usage").get("completion_tokens").asInt();
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (!choice.path("delta").path("content").asText().isEmpty()) {
                    long now = System.nanoTime() - sent;
                    first = first < 0 ? now : first;
                    last = now;
                }
            }
        }
        return new Sample(first, last, tokens);
    }

    /** A random policy of the configured shape with a BPE tokenizer (chat tokens included) in the HF layout. */
    private static Path policy(Options o, Path work) throws IOException {
        String text = Files.readString(Path.of("../data/tinyshakespeare.txt"), StandardCharsets.UTF_8);
        Path corpus =
                Files.writeString(work.resolve("corpus.txt"), text.substring(0, Math.min(text.length(), 200_000)));
        Path tokenizer = work.resolve("tokenizer");
        TokenizerJsonWriter.write(BpeTrainer.train(List.of(corpus), o.vocab()), tokenizer);
        ObjectNode json = LlamaConfig.readTree(o.config());
        json.put("vocab_size", o.vocab());
        LlamaConfig config = LlamaConfig.parse(json, o.config());
        Path policy = work.resolve("policy");
        try (LanguageModel lm = LanguageModel.create(config, 1)) {
            HfCheckpoint.save(lm, policy, tokenizer);
        }
        return policy;
    }

    private static double median(double[] values) {
        double[] sorted =
                Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Options parse(String[] args) {
        Path config = Path.of("../configs/model/tiny.json");
        int vocab = 2000;
        int maxTokens = 32;
        int requests = 4;
        int runs = 3;
        int[] concurrency = {1, 8, 32};
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--config" -> config = Path.of(value);
                case "--vocab" -> vocab = Integer.parseInt(value);
                case "--max-tokens" -> maxTokens = Integer.parseInt(value);
                case "--requests" -> requests = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--concurrency" ->
                    concurrency = Arrays.stream(value.split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray();
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new Options(config, vocab, maxTokens, requests, runs, concurrency);
    }
}
