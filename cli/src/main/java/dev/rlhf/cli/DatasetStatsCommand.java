package dev.rlhf.cli;

import dev.rlhf.core.data.SftData;
import dev.rlhf.core.sft.SftConfig;
import dev.rlhf.core.sft.SftJobRunner;
import dev.rlhf.core.sft.SftMode;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Rows and tokens per dataset and split (train/eval) of an SFT config, and skipped lines.")
final class DatasetStatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Option(names = "--config-dir", defaultValue = "configs/sft", description = "Default ${DEFAULT-VALUE}.")
    Path configDir;

    @Override
    public Integer call() throws Exception {
        SftConfig config =
                new SftJobRunner(List.of(configDir)).compose(job.spec()).bind(SftConfig.class);
        Path tokenizerPath = config.model()
                .path()
                .orElseGet(() -> config.model()
                        .tokenizer()
                        .orElseThrow(() ->
                                new IllegalArgumentException("model: give 'path' or 'tokenizer' to count tokens")));
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerPath)) {
            SftData data = SftData.load(
                    config.data().specs(),
                    tokenizer,
                    config.seqLen(),
                    config.mode() == SftMode.PRETRAIN,
                    config.train().seed());
            spec.commandLine().getOut().println(data.stats().table());
        }
        return 0;
    }
}
