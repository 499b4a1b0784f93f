package dev.rlhf.cli.pipeline;

import dev.rlhf.cli.GatewayJar;
import dev.rlhf.cli.ProgressBar;
import dev.rlhf.core.config.ComposedConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./rlhf pipeline --configs tiny [--set key=value ...]}: the whole chain, then its summary table. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Tokenizer -> pretraining -> SFT -> reward model -> PPO (exported, served, over Kafka), then "
                + "the PPO policy judged against the SFT policy and a summary table.")
public final class PipelineCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--configs",
            arity = "1..*",
            paramLabel = "NAME",
            description = "Named pipeline configs (files in <config-root>/pipeline), composed in order.")
    List<String> configs = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one key, e.g. --set exp=mine; a stage's job key goes to that stage: --set"
                    + " sft.train.lr=1e-3, --set ppo.algorithm=rloo, --set ppo.kl.coef=0.1.")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--config-root",
            paramLabel = "DIR",
            defaultValue = "configs",
            description =
                    "Where named configs live: DIR/pipeline, DIR/sft, DIR/rm, DIR/ppo (default ${DEFAULT-VALUE}).")
    Path configRoot;

    @Mixin
    GatewayJar gateway;

    @Override
    public Integer call() throws Exception {
        StageOverrides split = StageOverrides.split(overrides);
        ComposedConfig composed =
                PipelineConfig.loader().load(List.of(configRoot.resolve("pipeline")), configs, split.pipeline());
        PipelineConfig config = composed.bind(PipelineConfig.class);
        PrintWriter out = spec.commandLine().getOut();
        Pipeline pipeline = new Pipeline(
                config,
                composed,
                configRoot,
                gateway.path(),
                split,
                out,
                new ProgressBar(spec.commandLine().getErr()));
        out.println("pipeline run directory: " + pipeline.dir());
        String table = pipeline.run();
        out.println();
        out.println(table);
        out.println("summary: " + pipeline.dir().resolve("summary.md") + ", evaluation: "
                + pipeline.dir().resolve("eval").resolve("eval").resolve("eval.md"));
        out.flush();
        return 0;
    }
}
