package dev.rlhf.gateway.service;

import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.gateway.client.ForwardedModel;
import dev.rlhf.gateway.config.GatewayConfig;
import dev.rlhf.gateway.inference.LocalModel;
import dev.rlhf.gateway.inference.ModelFiles;
import dev.rlhf.proto.client.ClientOptions;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The models this gateway answers for, by name: every model of {@code gateway.repo}, loaded at startup, and every
 * {@code gateway.models.<name>} forward (which wins over a repository model of the same name). A model that fails to
 * load stops the startup with a message naming its file.
 */
@Startup
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<String, ModelBackend> models = new TreeMap<>();
    private final ExecutorService forwarding = Executors.newCachedThreadPool(daemonThreads());

    public ModelRegistry(GatewayConfig config) {
        try {
            config.repo().ifPresent(repo -> loadRepository(config, repo));
            config.models().forEach((name, forward) -> forward(name, forward));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (models.isEmpty()) {
            LOG.warn("no models to serve: set gateway.repo to a model repository or gateway.models.<name>.endpoint");
        }
    }

    private void loadRepository(GatewayConfig config, Path repo) {
        LocalModel.Options options = new LocalModel.Options(
                config.batching().enabled(),
                config.batching().maxQueueDelayMicros(),
                config.onnx().intraOpThreads(),
                config.onnx().allowSpinning());
        for (ModelFiles files : ModelFiles.scan(repo)) {
            if (config.models().containsKey(files.name())) {
                continue; // forwarded instead
            }
            LocalModel model = LocalModel.load(files, options);
            models.put(model.name(), model);
            LOG.infof("serving model '%s' from %s (batching %s)", model.name(), model.location(), options.batching());
        }
    }

    private void forward(String name, GatewayConfig.Forward forward) {
        ClientOptions options =
                ClientOptions.defaults().withDeadline(forward.deadline()).withMaxAttempts(forward.maxAttempts());
        Tokenizer tokenizer = forward.tokenizer().map(Tokenizer::load).orElse(null);
        String key = "gateway.models." + name + ".endpoint";
        ForwardedModel model = new ForwardedModel(
                name,
                forward.remoteName().orElse(name),
                () -> ConfigProvider.getConfig()
                        .getOptionalValue(key, String.class)
                        .orElse(forward.endpoint()),
                options,
                tokenizer,
                forwarding);
        models.put(name, model);
        LOG.infof(
                "forwarding model '%s' as '%s' (endpoint resolved at the first call)",
                name, forward.remoteName().orElse(name));
    }

    /** The model called {@code name}; NOT_FOUND when there is none. */
    public ModelBackend get(String name) {
        return find(name)
                .orElseThrow(() -> new GatewayException.ModelNotFound("unknown model '" + name + "' (serving: "
                        + (models.isEmpty() ? "none" : String.join(", ", models.keySet())) + ")"));
    }

    public Optional<ModelBackend> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Collection<ModelBackend> all() {
        return List.copyOf(models.values());
    }

    @PreDestroy
    void close() {
        List<RuntimeException> errors = new ArrayList<>();
        for (ModelBackend model : models.values()) {
            try {
                model.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        forwarding.shutdownNow();
        errors.forEach(e -> LOG.warn("closing a model", e));
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "gateway-forward-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
