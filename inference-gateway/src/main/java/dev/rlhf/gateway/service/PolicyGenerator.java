package dev.rlhf.gateway.service;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.generation.GenerationDefaults;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.SpecialTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.tokenizer.TokenizerException;
import dev.rlhf.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Generates from the policy at {@code gateway.policy.path} with core's KV-cache {@link Generator} (DJL, PyTorch CPU),
 * handing each token to the caller as soon as it is sampled. One generation runs at a time.
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

    public PolicyGenerator(GatewayConfig config) {
        this.name = config.policy().name();
        this.path = config.policy().path().orElse(null);
        if (path == null) {
            this.model = null;
            this.tokenizer = null;
            this.modelStops = Set.of();
            return;
        }
        this.modelStops = GenerationDefaults.read(path).stopTokenIds(Set.of());
        this.tokenizer = Tokenizer.load(path);
        try {
            this.model = HfCheckpoint.load(path);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        LOG.infof("policy '%s' from %s", name, path);
    }

    /** Streams the tokens of one generation to {@code sink}, on the calling thread. */
    public synchronized void generate(GenerationQuery query, Consumer<StreamedToken> sink) {
        if (model == null) {
            throw new GatewayException.NotServable(
                    "no policy is configured: set gateway.policy.path to a model directory");
        }
        if (!query.model().isEmpty() && !query.model().equals(name)) {
            throw new GatewayException.ModelNotFound(
                    "unknown policy model '" + query.model() + "' (serving: " + name + ")");
        }
        boolean chat = query.promptIds().length == 0 && hasChatTemplate();
        long[] prompt = query.promptIds().length > 0
                ? query.promptIds()
                : chat
                        ? ChatTemplate.own()
                                .encode(tokenizer, List.of(ChatMessage.user(query.prompt())), true)
                                .ids()
                        : tokenizer.encode(query.prompt());
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
            new Generator(model, ids -> tokenizer.decode(ids, true))
                    .generate(
                            List.of(prompt),
                            sampling,
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

    private boolean hasChatTemplate() {
        return tokenizer.tokenId(SpecialTokens.USER).isPresent()
                && tokenizer.tokenId(SpecialTokens.ASSISTANT).isPresent()
                && tokenizer.tokenId(SpecialTokens.END_OF_TURN).isPresent();
    }

    private Set<Long> stopTokens(boolean chat) {
        Set<Long> stops = new HashSet<>(modelStops);
        try {
            stops.add((long) tokenizer.eosId());
        } catch (TokenizerException e) {
            LOG.debugf("policy tokenizer has no EOS: %s", e.getMessage());
        }
        if (chat) {
            stops.add((long) tokenizer.tokenId(SpecialTokens.END_OF_TURN).getAsInt());
        }
        return stops;
    }

    @PreDestroy
    void close() {
        if (model != null) {
            model.close();
            tokenizer.close();
        }
    }
}
