package dev.rlhf.cli;

import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.rm.RmJobRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Trains a reward model (Bradley-Terry on pairs, K-wise on ranked replies), e.g. "
                + "--configs tiny-rm hh-rm --set train.lr=1e-3. Resumes from checkpoints/last (resume: auto).")
final class RmTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Option(names = "--config-dir", defaultValue = "configs/rm", description = "Default ${DEFAULT-VALUE}.")
    Path configDir;

    @Override
    public Integer call() throws Exception {
        PreparedJob prepared = new RmJobRunner(List.of(configDir)).prepare(job.spec());
        spec.commandLine().getOut().println("run directory: " + prepared.runDir());
        prepared.run(new ProgressBar(spec.commandLine().getErr()));
        spec.commandLine().getOut().println("\ndone: " + prepared.runDir().resolve("checkpoints"));
        return 0;
    }
}
