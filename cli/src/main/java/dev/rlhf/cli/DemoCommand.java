package dev.rlhf.cli;

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
        description =
                "Train a tokenizer on the bundled text, fine-tune a tiny model on HH conversations, chat with it.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = "data", description = "Data directory (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--steps", defaultValue = "60", description = "SFT optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--out", defaultValue = "runs/demo", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        Path tokenizer = out.resolve("tokenizer");
        Path checkpoint = out.resolve("sft")
                .resolve("demo-tiny-llama-hh-sft")
                .resolve("checkpoints")
                .resolve("best");
        String corpus = data.resolve("tinyshakespeare.txt").toString();
        step(
                "1/3 train a byte-level BPE tokenizer",
                "tokenizer",
                "train",
                "--input",
                corpus,
                "--vocab-size",
                "2000",
                "--out",
                tokenizer.toString());
        step(
                "2/3 fine-tune a tiny Llama on HH conversations",
                "sft",
                "--configs",
                "tiny-llama",
                "hh-sft",
                "--set",
                "model.tokenizer=" + tokenizer,
                "--set",
                "output_dir=" + out,
                "--set",
                "exp=demo",
                "--set",
                "train.max_steps=" + steps,
                "--set",
                "train.eval_every=" + Math.max(1, steps / 2),
                "--set",
                "resume=never");
        step(
                "3/3 chat with the best checkpoint (KV cache, sampled)",
                "generate",
                "--model",
                checkpoint.toString(),
                "--chat",
                "--prompt",
                "How do I make a good cup of tea?",
                "--max-new-tokens",
                "32",
                "--temperature",
                "0.7",
                "--top-p",
                "0.9",
                "--seed",
                "1");
        spec.commandLine().getOut().println("== done: " + checkpoint + " is a Hugging Face model directory");
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
