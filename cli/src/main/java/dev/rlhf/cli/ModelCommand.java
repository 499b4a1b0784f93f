package dev.rlhf.cli;

import picocli.CommandLine.Command;

@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Create model directories in the Hugging Face layout.",
        subcommands = {ModelInitCommand.class})
final class ModelCommand {}
