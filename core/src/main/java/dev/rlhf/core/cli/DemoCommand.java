package dev.rlhf.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The quick-start job: everything from raw text to generated text on the bundled data, with no server and no
 * download. Each step is the same subcommand a user would run by hand.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Train a tokenizer on the bundled text, create a tiny model, generate and score text with it.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--data",
            defaultValue = "../shared/data",
            description = "Data directory (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--config", defaultValue = "configs/model/tiny.json", description = "Default ${DEFAULT-VALUE}.")
    Path config;

    @Option(names = "--out", defaultValue = "runs/demo", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        Path tokenizer = out.resolve("tokenizer");
        Path model = out.resolve("model");
        String corpus = data.resolve("tinyshakespeare.txt").toString();
        step(
                "1/4 train a byte-level BPE tokenizer",
                "tokenizer",
                "train",
                "--input",
                corpus,
                "--vocab-size",
                "2000",
                "--out",
                tokenizer.toString());
        step(
                "2/4 create a randomly initialised model",
                "model",
                "init",
                "--config",
                config.toString(),
                "--tokenizer",
                tokenizer.toString(),
                "--out",
                model.toString());
        step(
                "3/4 generate (KV cache, sampled)",
                "generate",
                "--model",
                model.toString(),
                "--prompt",
                "ROMEO:",
                "--max-new-tokens",
                "24",
                "--temperature",
                "0.8",
                "--top-p",
                "0.95",
                "--seed",
                "1");
        step("4/4 per-token log-probs", "logprobs", "--model", model.toString(), "--text", "To be, or not to be");
        spec.commandLine().getOut().println("== done: the model is in " + model + " (Hugging Face layout)");
        return 0;
    }

    private void step(String title, String... args) {
        spec.commandLine().getOut().println("== " + title + ": rlhf " + String.join(" ", args));
        int code = spec.root().commandLine().execute(args);
        if (code != 0) {
            throw new CommandLine.ExecutionException(spec.commandLine(), "step failed: " + title);
        }
    }
}
