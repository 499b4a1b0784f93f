package dev.rlhf.gateway.service;

import dev.rlhf.core.generation.GeneratedToken;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs every generation on the policy from one thread, merging requests into batches (static batching): when a batch
 * ends, the requests that arrived meanwhile are taken together, in arrival order, while their rows fit in {@code
 * maxRows} and the longest prompt plus the largest {@code max_new_tokens} fit the model's context. Each row keeps its
 * own sampler, seed, token budget and stops (core's {@link Generator#generateRows}), so a request's tokens do not
 * depend on its neighbours' settings. A request whose caller fails (a client gone) stops receiving tokens; its rows
 * run on to the batch's end.
 */
final class GenerationBatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GenerationBatcher.class);

    /** One request: its rows, their settings, where their tokens go, and its outcome. */
    private static final class Job {
        final List<long[]> prompts;
        final List<SamplingConfig> configs;
        final Consumer<GeneratedToken> sink;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        RuntimeException sinkFailure;

        Job(List<long[]> prompts, List<SamplingConfig> configs, Consumer<GeneratedToken> sink) {
            this.prompts = prompts;
            this.configs = configs;
            this.sink = sink;
        }

        int longestPrompt() {
            return prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        }

        int mostNewTokens() {
            return configs.stream().mapToInt(SamplingConfig::maxNewTokens).max().orElse(0);
        }
    }

    private final Generator generator;
    private final int maxPositions;
    private final int maxRows;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    GenerationBatcher(Generator generator, int maxPositions, int maxRows) {
        this.generator = generator;
        this.maxPositions = maxPositions;
        this.maxRows = maxRows;
        this.worker = new Thread(this::loop, "policy-generation");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Generates {@code prompts} (row i with {@code configs.get(i)}) in the next batch, handing each token to {@code
     * sink} on the batch's thread, and returns when they are done. {@link GeneratedToken#row()} counts from 0 within
     * this request. An exception {@code sink} throws is rethrown here.
     */
    void generate(List<long[]> prompts, List<SamplingConfig> configs, Consumer<GeneratedToken> sink) {
        if (closed) {
            throw new GatewayException.Unavailable("the policy is shutting down", true, null);
        }
        Job job = new Job(List.copyOf(prompts), List.copyOf(configs), sink);
        queue.add(job);
        try {
            job.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException.Unavailable("interrupted while generating", true, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        while (!closed) {
            Job first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            run(batchFrom(first));
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.done.completeExceptionally(
                    new GatewayException.Unavailable("the policy is shutting down", true, null));
        }
    }

    /** {@code first} and the queued jobs behind it, in order, while they fit together. */
    private List<Job> batchFrom(Job first) {
        List<Job> batch = new ArrayList<>(List.of(first));
        int rows = first.prompts.size();
        int prompt = first.longestPrompt();
        int newTokens = first.mostNewTokens();
        for (Job next = queue.peek(); next != null; next = queue.peek()) {
            int p = Math.max(prompt, next.longestPrompt());
            int t = Math.max(newTokens, next.mostNewTokens());
            if (rows + next.prompts.size() > maxRows || p + t > maxPositions) {
                break;
            }
            batch.add(queue.poll());
            rows += next.prompts.size();
            prompt = p;
            newTokens = t;
        }
        return batch;
    }

    private void run(List<Job> batch) {
        List<long[]> prompts = new ArrayList<>();
        List<SamplingConfig> configs = new ArrayList<>();
        List<Job> owners = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (Job job : batch) {
            for (int i = 0; i < job.prompts.size(); i++) {
                offsets.add(prompts.size());
                owners.add(job);
            }
            prompts.addAll(job.prompts);
            configs.addAll(job.configs);
        }
        try {
            generator.generateRows(prompts, configs, token -> {
                Job job = owners.get(token.row());
                if (job.sinkFailure != null) {
                    return;
                }
                try {
                    job.sink.accept(new GeneratedToken(
                            token.row() - offsets.get(token.row()),
                            token.index(),
                            token.id(),
                            token.logprob(),
                            token.finishReason()));
                } catch (RuntimeException e) {
                    job.sinkFailure = e;
                }
            });
        } catch (IllegalArgumentException e) {
            fail(batch, new GatewayException.InvalidRequest(e.getMessage(), e));
            return;
        } catch (RuntimeException e) {
            LOG.error("policy generation failed", e);
            fail(batch, new GatewayException.Unavailable("policy generation failed: " + e.getMessage(), false, e));
            return;
        }
        for (Job job : batch) {
            if (job.sinkFailure != null) {
                job.done.completeExceptionally(job.sinkFailure);
            } else {
                job.done.complete(null);
            }
        }
    }

    private static void fail(List<Job> batch, RuntimeException e) {
        batch.forEach(job -> job.done.completeExceptionally(e));
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
