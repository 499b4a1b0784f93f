package dev.rlhf.cli;

import picocli.CommandLine.Command;

@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        description = "Inspect the data a job config reads.",
        subcommands = {DatasetStatsCommand.class, DatasetArithmeticCommand.class})
final class DatasetCommand {}
