package dev.rlhf.cli;

import picocli.CommandLine.Command;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks; figures go to BENCHMARKS.md.",
        subcommands = {BenchModelCommand.class, BenchRmCommand.class})
final class BenchCommand {}
