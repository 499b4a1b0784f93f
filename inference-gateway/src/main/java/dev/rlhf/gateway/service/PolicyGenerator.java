package dev.rlhf.gateway.service;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.generation.GeneratedToken;
import dev.rlhf.core.generation.GenerationDefaults;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.ChatTemplateException;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.tokenizer.TokenizerException;
import dev.rlhf.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Generates from the policy at {@code gateway.policy.path} with core's KV-cache {@link Generator} (DJL, PyTorch CPU),
 * handing each token to the caller as soon as it is sampled. Requests that wait while a batch runs are merged into
 * the next one ({@link GenerationBatcher}, up to {@code gateway.policy.max-batch} rows), each row with its own
 * sampling; up to {@code gateway.policy.max-queue} requests are admitted at once (beyond, {@link
 * GatewayException.Overloaded}). The {@code n} choices of a chat completion are {@code n} rows, choice i seeded with
 * {@code seed + i}.
 *
 * <p>A text prompt goes through the chat template as a user turn followed by the opening of an assistant turn, when
 * the tokenizer has the template's tokens; generation then also stops at {@code <|end|>}. It always stops at EOS, the
 * tokenizer's and every {@code eos_token_id} of the model's {@code generation_config.json}.
 */
@Startup
@ApplicationScoped
public class PolicyGenerator {

    private static final Logger LOG = Logger.getLogger(PolicyGenerator.class);

    private final String name;
    private final Path path;
    private final LanguageModel model;
    private final Tokenizer tokenizer;
    private final Set<Long> modelStops;
    private final GenerationDefaults defaults;
    private final Optional<ChatTemplate> template;
    private final int maxQueue;
    private final Semaphore admitted;
    private final GenerationBatcher batcher;

    public PolicyGenerator(GatewayConfig config) {
        this.path = config.policy().path().orElse(null);
        this.name = config.policy()
                .name()
                .orElse(
                        path == null
                                ? "policy"
                                : path.toAbsolutePath()
                                        .normalize()
                                        .getFileName()
                                        .toString());
        this.maxQueue = config.policy().maxQueue();
        this.admitted = new Semaphore(maxQueue, true);
        if (path == null) {
            this.model = null;
            this.tokenizer = null;
            this.modelStops = Set.of();
            this.defaults = GenerationDefaults.NONE;
            this.template = Optional.empty();
            this.batcher = null;
            return;
        }
        this.defaults = GenerationDefaults.read(path);
        this.modelStops = defaults.stopTokenIds(Set.of());
        this.tokenizer = Tokenizer.load(path);
        try {
            this.template = ChatTemplate.find(tokenizer);
            this.model = HfCheckpoint.load(path);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        this.batcher = new GenerationBatcher(
                new Generator(model, ids -> tokenizer.decode(ids, true)),
                model.config().maxPositionEmbeddings(),
                config.policy().maxBatch());
        LOG.infof("policy '%s' from %s", name, path);
    }

    /** Streams the tokens of one generation to {@code sink}, on the calling thread. */
    public void generate(GenerationQuery query, Consumer<StreamedToken> sink) {
        requireModel(query.model());
        try (Admission admission = admit()) {
            generateAlone(query, sink);
        }
    }

    /** The name clients use for the policy ({@code gateway.policy.name}, else its directory's name). */
    public String name() {
        return name;
    }

    /** True when a policy is configured. */
    public boolean served() {
        return model != null;
    }

    /** The longest sequence (prompt and new tokens) the policy takes: its {@code max_position_embeddings}. */
    public int maxPositions() {
        return model.config().maxPositionEmbeddings();
    }

    /** The policy's tokenizer (ids to text for chat choices). */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The sampling the policy was published with ({@code generation_config.json}). */
    public GenerationDefaults defaults() {
        return defaults;
    }

    /**
     * Refuses an unknown model (or a gateway without a policy) before any work.
     *
     * @param requested the name a request gives; empty for the configured one
     */
    public void requireModel(String requested) {
        if (model == null) {
            throw new GatewayException.NotServable(
                    "no policy is configured: set gateway.policy.path to a model directory");
        }
        if (!requested.isEmpty() && !requested.equals(name)) {
            throw new GatewayException.ModelNotFound(
                    "unknown policy model '" + requested + "' (serving: " + name + ")");
        }
    }

    /**
     * The ids of a conversation rendered with the policy's own chat template, ending with the opening of an assistant
     * turn; the template's end-of-turn token then stops generation ({@link #chatStops}).
     */
    public long[] renderChat(List<ChatMessage> messages) {
        ChatTemplate chat = template.orElseThrow(() -> new GatewayException.NotServable(
                "the policy at " + path + " has no chat template (chat_template.jinja or tokenizer_config.json)"));
        try {
            return chat.encode(tokenizer, messages, true).ids();
        } catch (ChatTemplateException e) {
            throw new GatewayException.InvalidRequest("messages", e.getMessage());
        }
    }

    /** Where a chat reply stops: the template's end of turn, the tokenizer's EOS and the model's eos_token_ids. */
    public Set<Long> chatStops() {
        Set<Long> stops = new HashSet<>(modelStops);
        template.ifPresent(t -> stops.addAll(t.stopIds(tokenizer)));
        return stops;
    }

    /**
     * A place among the admitted generation requests, or {@link GatewayException.Overloaded} when {@code
     * gateway.policy.max-queue} are already admitted. Close it when the request is over.
     */
    public Admission admit() {
        if (!admitted.tryAcquire()) {
            throw new GatewayException.Overloaded("the policy's queue is full (gateway.policy.max-queue=" + maxQueue
                    + " requests admitted): retry later");
        }
        return new Admission();
    }

    /**
     * Generates {@code n} continuations of {@code prompt} as {@code n} rows of the next batch, row i sampled with seed
     * {@code sampling.seed() + i}, handing each token to {@code sink} as soon as it is sampled ({@link
     * GeneratedToken#row()} is the choice) on the batch's thread; returns when all are done. An exception thrown by
     * {@code sink} stops the tokens and is rethrown.
     */
    public void generateChoices(
            Admission admission, long[] prompt, int n, SamplingConfig sampling, Consumer<GeneratedToken> sink) {
        if (admission.closed) {
            throw new IllegalStateException("generation outside its admission");
        }
        TokenInputs.checkIds("prompt_ids", prompt, OptionalInt.of(model.config().vocabSize()));
        List<long[]> rows = new ArrayList<>(n);
        List<SamplingConfig> configs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(prompt);
            configs.add(withSeed(sampling, sampling.seed() + i));
        }
        batcher.generate(rows, configs, sink);
    }

    /** One admitted generation request; closing it frees its place. */
    public final class Admission implements AutoCloseable {
        private boolean closed;

        private Admission() {}

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                admitted.release();
            }
        }
    }

    private static SamplingConfig withSeed(SamplingConfig c, long seed) {
        return new SamplingConfig(
                c.maxNewTokens(), c.temperature(), c.topK(), c.topP(), seed, c.stopTokenIds(), c.stopStrings(), true);
    }

    private void generateAlone(GenerationQuery query, Consumer<StreamedToken> sink) {
        boolean chat = query.promptIds().length == 0 && template.isPresent();
        long[] prompt = query.promptIds().length > 0
                ? query.promptIds()
                : chat ? renderChat(List.of(ChatMessage.user(query.prompt()))) : tokenizer.encode(query.prompt());
        TokenInputs.checkIds("prompt_ids", prompt, OptionalInt.of(model.config().vocabSize()));
        if (prompt.length == 0) {
            throw new GatewayException.InvalidRequest("prompt: empty (give prompt text or prompt_ids)");
        }
        IncrementalText text = new IncrementalText(tokenizer);
        try {
            SamplingConfig sampling = new SamplingConfig(
                    query.maxNewTokens(),
                    query.temperature(),
                    query.topK(),
                    query.topP() == 0 ? 1 : query.topP(),
                    query.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong()),
                    stopTokens(chat),
                    query.stop(),
                    true);
            batcher.generate(
                    List.of(prompt),
                    List.of(sampling),
                    token -> sink.accept(new StreamedToken(
                            token.id(),
                            text.append(token.id(), token.last()),
                            token.finishReason(),
                            token.index(),
                            token.logprob())));
        } catch (IllegalArgumentException e) {
            throw new GatewayException.InvalidRequest(e.getMessage(), e);
        }
    }

    private Set<Long> stopTokens(boolean chat) {
        Set<Long> stops = new HashSet<>(modelStops);
        try {
            stops.add((long) tokenizer.eosId());
        } catch (TokenizerException e) {
            LOG.debugf("policy tokenizer has no EOS: %s", e.getMessage());
        }
        if (chat) {
            stops.addAll(template.get().stopIds(tokenizer));
        }
        return stops;
    }

    @PreDestroy
    void close() {
        if (model != null) {
            batcher.close();
            model.close();
            tokenizer.close();
        }
    }
}
