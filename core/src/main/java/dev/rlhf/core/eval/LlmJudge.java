package dev.rlhf.core.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pairwise LLM judge: for each prompt, the judge prompt ({@link JudgePrompt}) with the baseline's answer as A and
 * the candidate's as B, and again swapped ({@link LlmVerdict}); up to {@code concurrency} requests in flight. The
 * first request that fails for good ({@link JudgeUnreachableException}) fails the evaluation.
 */
final class LlmJudge {

    private final OpenAiChatClient client;
    private final JudgePrompt prompt;
    private final int concurrency;

    LlmJudge(LlmJudgeConfig config) {
        this.client = new OpenAiChatClient(config);
        this.prompt = JudgePrompt.of(config.template());
        this.concurrency = config.concurrency();
    }

    /** One verdict per prompt, baseline against candidate. */
    List<LlmVerdict> judge(List<String> prompts, List<Answer> baseline, List<Answer> candidate) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "llm-judge");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> inOrder = new ArrayList<>();
            List<Future<String>> swapped = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                String q = prompts.get(i);
                String a = baseline.get(i).response();
                String b = candidate.get(i).response();
                inOrder.add(pool.submit(() -> client.complete(prompt.render(q, a, b))));
                swapped.add(pool.submit(() -> client.complete(prompt.render(q, b, a))));
            }
            List<LlmVerdict> out = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                out.add(LlmVerdict.of(get(inOrder.get(i)), get(swapped.get(i))));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String get(Future<String> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the judge", e);
        }
    }
}
