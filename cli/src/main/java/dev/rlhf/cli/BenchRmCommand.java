package dev.rlhf.cli;

import dev.rlhf.cli.bench.ModelBenchmark;
import dev.rlhf.cli.bench.RewardModelBenchmark;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = "Reward-model pairs/s trained and scored on real preference pairs (median of --runs).")
final class BenchRmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", defaultValue = "configs/model/tiny.json", description = "Default ${DEFAULT-VALUE}.")
    Path config;

    @Option(
            names = "--tokenizer",
            defaultValue = "configs/tokenizer/shakespeare-2k",
            description = "Default ${DEFAULT-VALUE}.")
    Path tokenizer;

    @Option(
            names = "--data",
            defaultValue = "data/hh-harmless-pairs.jsonl.gz",
            description = "Preference pairs (pairs, hh or ranked JSONL). Default ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--batch", defaultValue = "32", description = "Pairs per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq-len", defaultValue = "256", description = "Default ${DEFAULT-VALUE}.")
    int seqLen;

    @Option(names = "--runs", defaultValue = "5", description = "Timed repetitions (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--steps", defaultValue = "5", description = "Batches per run (default ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
        RewardModelBenchmark.Report report =
                new RewardModelBenchmark(config, tokenizer, data, batch, seqLen, runs).run(steps);
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "config %s, data %s: batch %d pairs, seq_len %d (mean %.1f tokens per sequence); %d threads%n",
                        config,
                        data.getFileName(),
                        batch,
                        seqLen,
                        report.tokensPerSequence(),
                        Runtime.getRuntime().availableProcessors());
        for (ModelBenchmark.Result r : report.results()) {
            spec.commandLine().getOut().println(r.line());
        }
        return 0;
    }
}
