package dev.rlhf.gateway.service;

import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.GenerationDefaults;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chat completions on the policy: the conversation rendered with the policy's own chat template, {@code n} choices
 * generated as one batch with the KV cache, each choice's text cut at its stop strings, and every piece of text handed
 * on as soon as it is known. Requests are checked and admitted ({@link #prepare}) before anything is sent, so a
 * protocol edge can still answer an error; generation ({@link #run}) then joins the policy's next batch.
 */
@ApplicationScoped
public class ChatCompletions {

    /** Why a choice ended. */
    public enum Finish {
        /** An end-of-turn or end-of-sequence token, or a stop string. */
        STOP,
        /** The choice's token budget ({@code max_tokens} or the model's context) was reached. */
        LENGTH
    }

    /** Receives the text of every choice as it grows; calls come from the generating thread. */
    public interface Listener {
        /** More text of choice {@code choice}; never empty. */
        void delta(int choice, String text);

        /** Choice {@code choice} is complete. */
        void finished(int choice, Finish finish);
    }

    /** Token counts, as OpenAI reports them: the rendered prompt once, and every choice's tokens. */
    public record Usage(int promptTokens, int completionTokens) {
        public int totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    /** A checked and admitted request, holding its place in the policy's queue until closed. */
    public record Prepared(
            long[] prompt, int n, SamplingConfig sampling, List<String> stop, PolicyGenerator.Admission admission)
            implements AutoCloseable {
        @Override
        public void close() {
            admission.close();
        }
    }

    private final PolicyGenerator policy;
    private final int maxN;

    public ChatCompletions(PolicyGenerator policy, GatewayConfig config) {
        this.policy = policy;
        this.maxN = config.policy().maxN();
    }

    /**
     * Checks what needs the model (its name, {@code n}, the prompt's length against the context), then admits the
     * request ({@link GatewayException.Overloaded} when the queue is full).
     */
    public Prepared prepare(ChatQuery query) {
        policy.requireModel(query.model());
        if (query.n() > maxN) {
            throw new GatewayException.InvalidRequest(
                    "n", "n: at most " + maxN + " choices (gateway.policy.max-n), got " + query.n());
        }
        long[] prompt = policy.renderChat(query.messages());
        int context = policy.maxPositions();
        if (prompt.length >= context) {
            throw new GatewayException.InvalidRequest(
                    "messages",
                    "This model's maximum context length is " + context + " tokens. However, your messages resulted"
                            + " in " + prompt.length + " tokens, leaving none for the completion.");
        }
        int maxTokens = query.maxTokens().orElse(context - prompt.length);
        if (prompt.length + maxTokens > context) {
            throw new GatewayException.InvalidRequest(
                    query.maxTokensParam(),
                    "This model's maximum context length is " + context + " tokens. However, you requested "
                            + (prompt.length + maxTokens) + " tokens (" + prompt.length + " in the messages, "
                            + maxTokens + " in the completion). Please reduce the length of the messages or "
                            + query.maxTokensParam() + ".");
        }
        GenerationDefaults defaults = policy.defaults();
        SamplingConfig sampling = new SamplingConfig(
                maxTokens,
                query.temperature().orElse(defaults.doSample() ? defaults.temperature() : 1.0),
                query.topK().orElse(defaults.doSample() ? defaults.topK() : 0),
                query.topP().orElse(defaults.doSample() ? defaults.topP() : 1.0),
                query.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong()),
                policy.chatStops(),
                query.stop(),
                true);
        return new Prepared(prompt, query.n(), sampling, query.stop(), policy.admit());
    }

    /** Generates the choices, telling {@code listener} each piece of text and each end; returns the token counts. */
    public Usage run(Prepared request, Listener listener) {
        List<ChoiceText> texts = new ArrayList<>(request.n());
        for (int i = 0; i < request.n(); i++) {
            texts.add(new ChoiceText(policy.tokenizer(), request.stop()));
        }
        int[] completion = new int[1];
        policy.generateChoices(request.admission(), request.prompt(), request.n(), request.sampling(), token -> {
            completion[0]++;
            ChoiceText text = texts.get(token.row());
            String piece = text.append(token.id(), token.last());
            if (!piece.isEmpty()) {
                listener.delta(token.row(), piece);
            }
            if (token.last()) {
                boolean length = token.finishReason() == Generation.FinishReason.LENGTH && !text.stopped();
                listener.finished(token.row(), length ? Finish.LENGTH : Finish.STOP);
            }
        });
        return new Usage(request.prompt().length, completion[0]);
    }
}
