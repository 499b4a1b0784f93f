package dev.rlhf.rl.pipeline;

import dev.rlhf.core.cli.ProgressBar;
import dev.rlhf.core.cli.RlhfCli;
import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.PipelineConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./rlhf pipeline --configs tiny [--set key=value ...]}: the whole chain, then its summary table. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Tokenizer -> pretraining -> SFT -> reward model -> PPO (exported, served, over Kafka), then "
                + "samples before and after PPO and a summary table.")
public final class PipelineCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--configs",
            arity = "1..*",
            paramLabel = "NAME",
            description = "Named pipeline configs (files in <config-root>/pipeline), composed in order.")
    List<String> configs = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key, e.g. --set exp=mine.")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--config-root",
            paramLabel = "DIR",
            description =
                    "Where named configs live: DIR/pipeline, DIR/sft, DIR/rm, DIR/ppo (default ${DEFAULT-VALUE}).")
    Path configRoot;

    private final Path gatewayJar;

    PipelineCommand(Path configRoot, Path gatewayJar) {
        this.configRoot = configRoot;
        this.gatewayJar = gatewayJar;
    }

    /** Parses {@code args}, runs the pipeline, returns the exit code (2 on bad input, naming the key or file). */
    public static int run(Path configRoot, Path gatewayJar, String... args) {
        CommandLine cli = new CommandLine(new PipelineCommand(configRoot, gatewayJar));
        cli.setExecutionExceptionHandler(RlhfCli.badInput("rlhf pipeline"));
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        ComposedConfig composed =
                PipelineConfig.loader().load(List.of(configRoot.resolve("pipeline")), configs, overrides);
        PipelineConfig config = composed.bind(PipelineConfig.class);
        PrintWriter out = spec.commandLine().getOut();
        Pipeline pipeline = new Pipeline(
                config,
                composed,
                configRoot,
                gatewayJar,
                out,
                new ProgressBar(spec.commandLine().getErr()));
        out.println("pipeline run directory: " + pipeline.dir());
        String table = pipeline.run();
        out.println();
        out.println(table);
        out.println("summary: " + pipeline.dir().resolve("summary.md") + ", samples: "
                + pipeline.dir().resolve("samples.md"));
        out.flush();
        return 0;
    }
}
