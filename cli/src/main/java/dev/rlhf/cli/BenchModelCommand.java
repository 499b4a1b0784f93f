package dev.rlhf.cli;

import dev.rlhf.cli.bench.ModelBenchmark;
import dev.rlhf.core.model.LlamaConfig;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description = "Training, forward and decode throughput of one model config (median of --runs).")
final class BenchModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", defaultValue = "configs/model/bench.json", description = "Default ${DEFAULT-VALUE}.")
    Path config;

    @Option(names = "--batch", defaultValue = "16", description = "Default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--seq-len", defaultValue = "128", description = "Default ${DEFAULT-VALUE}.")
    int seqLen;

    @Option(names = "--runs", defaultValue = "5", description = "Timed repetitions (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--train-steps",
            defaultValue = "5",
            description = "Steps per training run (default ${DEFAULT-VALUE}).")
    int trainSteps;

    @Option(
            names = "--new-tokens",
            defaultValue = "128",
            description = "Tokens decoded per run (default ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(
            names = "--prompt-len",
            defaultValue = "16",
            description = "Tokens of each decode prompt (default ${DEFAULT-VALUE}).")
    int promptLength;

    @Option(
            names = "--measure",
            split = ",",
            description = "Figures to measure, of ${COMPLETION-CANDIDATES} (default all).")
    Set<ModelBenchmark.Figure> figures = EnumSet.allOf(ModelBenchmark.Figure.class);

    @Override
    public Integer call() {
        LlamaConfig modelConfig = LlamaConfig.read(config);
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "config %s: %d layers, hidden %d, %d heads, vocab %d; batch %d, seq %d; %d threads%n",
                        config,
                        modelConfig.numHiddenLayers(),
                        modelConfig.hiddenSize(),
                        modelConfig.numAttentionHeads(),
                        modelConfig.vocabSize(),
                        batch,
                        seqLen,
                        Runtime.getRuntime().availableProcessors());
        ModelBenchmark bench = new ModelBenchmark(modelConfig, batch, seqLen, runs, promptLength);
        for (ModelBenchmark.Result r : bench.run(EnumSet.copyOf(figures), trainSteps, newTokens)) {
            spec.commandLine().getOut().println(r.line());
        }
        return 0;
    }
}
