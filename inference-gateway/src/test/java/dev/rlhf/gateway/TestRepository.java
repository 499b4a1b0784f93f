package dev.rlhf.gateway;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.export.ElementType;
import dev.rlhf.core.export.ExportOptions;
import dev.rlhf.core.export.ModelRepository;
import dev.rlhf.core.export.ServingRole;
import dev.rlhf.core.export.TritonConfigs;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.model.RopeScaling;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds, before Quarkus starts, a model repository of random tiny models exported through core, and points the
 * gateway at it:
 *
 * <ul>
 *   <li>{@code rm}: a reward model, INT64 ids, max_batch_size 8, 20 ms queue delay;
 *   <li>{@code rm32}: the same reward model exported with INT32 ids;
 *   <li>{@code ref}: a causal LM returning log-probs, max_batch_size 8;
 *   <li>{@code rm-qwen3}: a reward model with Qwen3's real tokenizer and chat template (core's test resource);
 *   <li>{@code rm-fwd}: forwarded to this gateway's own port as {@code rm} (loopback);
 *   <li>the policy: {@code ref}'s weights in the Hugging Face layout.
 * </ul>
 *
 * Every other model shares one byte-level BPE tokenizer trained on a few sentences; max_sequence_length is 128.
 */
public class TestRepository implements QuarkusTestResourceLifecycleManager {

    public static final int MAX_BATCH = 8;
    public static final int MAX_SEQUENCE = 128;
    /** Qwen3's tokenizer.json and tokenizer_config.json, a test resource of core (Apache-2.0). */
    public static final Path QWEN3_TOKENIZER = Path.of("..", "core", "src", "test", "resources", "tokenizers", "qwen3")
            .toAbsolutePath();
    /** The size of Qwen3's vocabulary with its added tokens. */
    public static final int QWEN3_VOCAB = 151_669;

    private static final String CORPUS = "the reward model scores a response to a prompt. "
            + "the reference model gives each token a log probability. a policy writes text. ";

    private Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("gateway-test-");
            Path tokenizer = root.resolve("tokenizer");
            Path corpus = Files.writeString(root.resolve("corpus.txt"), CORPUS.repeat(30));
            TokenizerJsonWriter.write(BpeTrainer.train(List.of(corpus), 300), tokenizer);
            Path repo = root.resolve("repo");
            Path policy = root.resolve("policy");
            LlamaConfig config = tiny(300);
            TritonConfigs.Serving serving = new TritonConfigs.Serving(MAX_BATCH, false, 1, 20_000);
            try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(config, 3), 4)) {
                ExportOptions options =
                        ExportOptions.rewardModel(rm.head().weight().getArray());
                ModelRepository.write(repo, "rm", rm.languageModel().block(), options, serving, tokenizer);
                ModelRepository.write(
                        repo,
                        "rm32",
                        rm.languageModel().block(),
                        options.withIdsType(ElementType.INT32),
                        serving,
                        tokenizer);
            }
            try (RewardModel rm = RewardModel.withNewHead(LanguageModel.create(tiny(QWEN3_VOCAB), 6), 7)) {
                ModelRepository.write(
                        repo,
                        "rm-qwen3",
                        rm.languageModel().block(),
                        ExportOptions.rewardModel(rm.head().weight().getArray()),
                        serving,
                        QWEN3_TOKENIZER);
            }
            try (LanguageModel lm = LanguageModel.create(config, 5)) {
                ModelRepository.write(
                        repo, "ref", lm.block(), ExportOptions.logProbs(ServingRole.REF), serving, tokenizer);
                HfCheckpoint.save(lm, policy, tokenizer);
            }
            return Map.of(
                    "gateway.repo",
                    repo.toString(),
                    "gateway.policy.path",
                    policy.toString(),
                    "gateway.models.rm-fwd.endpoint",
                    "localhost:${quarkus.http.test-port}",
                    "gateway.models.rm-fwd.remote-name",
                    "rm",
                    "gateway.models.rm-fwd.deadline",
                    "10s",
                    "gateway.models.rm-fwd.tokenizer",
                    tokenizer.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tiny test shape: hidden 32, 2 layers, 4 heads, 2 key/value heads, tied embeddings, 128 positions. */
    public static LlamaConfig tiny(int vocab) {
        return new LlamaConfig(
                "LlamaForCausalLM",
                "llama",
                vocab,
                32,
                64,
                2,
                4,
                2,
                8,
                1e-5,
                10000.0,
                RopeScaling.NONE,
                MAX_SEQUENCE,
                0,
                true,
                false,
                false,
                0,
                1);
    }

    @Override
    public void stop() {
        if (root == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
