package dev.rlhf.cli;

import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.sft.SftJobRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "sft",
        mixinStandardHelpOptions = true,
        description = "Supervised fine-tuning or pretraining (mode: sft | pretrain), e.g. "
                + "--configs tiny-llama hh-sft --set train.lr=1e-3. Resumes from checkpoints/last (resume: auto).")
final class SftCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Option(names = "--config-dir", defaultValue = "configs/sft", description = "Default ${DEFAULT-VALUE}.")
    Path configDir;

    @Override
    public Integer call() throws Exception {
        PreparedJob prepared = new SftJobRunner(List.of(configDir)).prepare(job.spec());
        spec.commandLine().getOut().println("run directory: " + prepared.runDir());
        prepared.run(new ProgressBar(spec.commandLine().getErr()));
        spec.commandLine().getOut().println("\ndone: " + prepared.runDir().resolve("checkpoints"));
        return 0;
    }
}
