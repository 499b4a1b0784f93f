package dev.rlhf.rl.worker;

import dev.rlhf.core.lora.LoraModel;
import dev.rlhf.core.lora.LoraSettings;
import dev.rlhf.core.lora.PeftAdapter;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.rollout.AdapterOffReference;
import dev.rlhf.core.rollout.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A LoRA policy on a rollout worker: the base ({@code policy.path}) is loaded once with adapters of the job's
 * settings attached, and each announced version, a PEFT adapter directory of a few megabytes, is copied into those
 * adapters in place ({@link PeftAdapter#update}). The same weights with the adapters off are the reference
 * ({@link #withReference}).
 */
public final class AdapterPolicy implements WorkerPolicy {

    private static final Logger LOG = Logger.getLogger(AdapterPolicy.class.getName());

    private final LanguageModel base;
    private final LoraModel lora;
    private boolean loaded;

    private AdapterPolicy(LanguageModel base, LoraModel lora) {
        this.base = base;
        this.lora = lora;
    }

    /**
     * Adapters of {@code settings} (zero until a version is loaded) attached to {@code base}, which this policy then
     * owns: a view of the base the process holds once ({@link LanguageModel#sharingWeights}, see {@code PolicyWeights}),
     * so the workers add no copy of their own.
     */
    public static AdapterPolicy on(LanguageModel base, LoraSettings settings) {
        return new AdapterPolicy(base, LoraModel.attach(base, settings, 0));
    }

    /** A scorer whose reference log-probs are this policy's with its adapters off; rewards from {@code rewards}. */
    public Scorer withReference(Scorer rewards) {
        return new AdapterOffReference(base, lora, rewards);
    }

    @Override
    public Optional<LanguageModel> model() {
        return loaded ? Optional.of(base) : Optional.empty();
    }

    @Override
    public void load(Path dir) {
        long start = System.nanoTime();
        PeftAdapter.update(lora, dir);
        loaded = true;
        LOG.fine(() -> String.format(
                java.util.Locale.ROOT,
                "adapter %s: %d bytes applied in %.3f s",
                dir,
                bytes(dir),
                (System.nanoTime() - start) / 1e9));
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        base.close();
    }
}
