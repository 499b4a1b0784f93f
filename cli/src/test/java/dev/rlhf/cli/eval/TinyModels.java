package dev.rlhf.cli.eval;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.TestModels;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Random tiny models in the HF layout (TestModels' tiny shape, 128 positions) with a BPE tokenizer of 300 tokens. */
final class TinyModels {

    static final int VOCAB = 300;
    private static final String CORPUS = "a judge compares two answers to a question. the better answer wins. "
            + "a reward model scores an answer. the policy writes text and the reference model reads it. ";

    private TinyModels() {}

    /** A tokenizer directory under {@code dir}. */
    static Path tokenizer(Path dir) throws IOException {
        Path tokenizer = dir.resolve("tokenizer");
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), CORPUS.repeat(30));
        TokenizerJsonWriter.write(BpeTrainer.train(List.of(corpus), VOCAB), tokenizer);
        return tokenizer;
    }

    /** A random model initialised with {@code seed}, saved as {@code dir/name}. */
    static Path model(Path dir, Path tokenizer, long seed, String name) {
        try (LanguageModel lm = LanguageModel.create(TestModels.tiny(VOCAB, 4, 2, true), seed)) {
            HfCheckpoint.save(lm, dir.resolve(name), tokenizer);
        }
        return dir.resolve(name);
    }
}
