package dev.rlhf.cli;

import picocli.CommandLine.Command;

@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = "Reward models: train one on preference pairs or ranked replies, score a reply.",
        subcommands = {RmTrainCommand.class, RmScoreCommand.class})
final class RmCommand {}
