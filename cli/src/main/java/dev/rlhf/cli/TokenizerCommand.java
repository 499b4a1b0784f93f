package dev.rlhf.cli;

import picocli.CommandLine.Command;

@Command(
        name = "tokenizer",
        mixinStandardHelpOptions = true,
        description = "Train byte-level BPE tokenizers.",
        subcommands = {TokenizerTrainCommand.class})
final class TokenizerCommand {}
