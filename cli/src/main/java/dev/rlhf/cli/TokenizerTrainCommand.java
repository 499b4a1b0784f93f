package dev.rlhf.cli;

import dev.rlhf.core.tokenizer.BpeModel;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: trains a byte-level BPE tokenizer on text files and writes {@code tokenizer.json} and
 * {@code tokenizer_config.json}, ready for {@link dev.rlhf.core.tokenizer.Tokenizer#load} and Hugging Face tools.
 *
 * <p>Prints one line: vocab size, number of merges, seconds.
 */
@Command(
        name = "train",
        description = "Train a byte-level BPE tokenizer and write tokenizer.json and tokenizer_config.json.",
        mixinStandardHelpOptions = true)
public final class TokenizerTrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(
            names = "--input",
            arity = "1..*",
            required = true,
            paramLabel = "FILE",
            description = "UTF-8 text files to train on; .gz files are decompressed.")
    private List<Path> inputs;

    @Option(
            names = "--vocab-size",
            defaultValue = "8000",
            paramLabel = "N",
            description = "Number of tokens, special tokens included (default: ${DEFAULT-VALUE}).")
    private int vocabSize;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory to write the tokenizer into; created if missing.")
    private Path out;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        BpeModel model = BpeTrainer.train(inputs, vocabSize);
        TokenizerJsonWriter.write(model, out);
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "%s, %.1f s", model.summary(), seconds));
        return 0;
    }
}
