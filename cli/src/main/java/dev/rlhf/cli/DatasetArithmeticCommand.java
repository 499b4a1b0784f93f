package dev.rlhf.cli;

import dev.rlhf.core.data.ArithmeticTask;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "arithmetic",
        mixinStandardHelpOptions = true,
        description = "Write the arithmetic task (train.jsonl, heldout.jsonl, sft.jsonl); the defaults reproduce"
                + " data/arithmetic byte for byte.")
final class DatasetArithmeticCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Directory to write into.")
    Path out;

    @Option(names = "--seed", defaultValue = "13", description = "Default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--train", defaultValue = "2000", description = "Train prompts (default ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--heldout", defaultValue = "200", description = "Held-out prompts (default ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(
            names = "--sft",
            defaultValue = "1000",
            description = "SFT conversations, the first train problems" + " (default ${DEFAULT-VALUE}).")
    int sft;

    @Override
    public Integer call() {
        ArithmeticTask.write(out, seed, train, heldOut, sft);
        spec.commandLine().getOut().println("wrote " + out.resolve("train.jsonl") + ", heldout.jsonl, sft.jsonl");
        return 0;
    }
}
