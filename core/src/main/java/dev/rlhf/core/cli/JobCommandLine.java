package dev.rlhf.core.cli;

import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.PreparedJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs any job kind from a command line with the options every trainer shares ({@code --configs}, {@code --set},
 * {@code --debug}, {@code --tag}, {@code --config-dir}) and a progress bar: how a service module (e.g. the PPO
 * trainer, whose runner lives outside core) offers the same command line as {@code ./rlhf sft}.
 */
public final class JobCommandLine {

    private JobCommandLine() {}

    /** Parses {@code args}, runs the job to the end, returns the exit code (2 on bad input). */
    public static int run(String name, String defaultConfigDir, Function<Path, JobRunner> runners, String... args) {
        CommandSpecHolder command = new CommandSpecHolder(runners, Path.of(defaultConfigDir));
        CommandLine cli = new CommandLine(command);
        cli.setCommandName(name);
        cli.setExecutionExceptionHandler(RlhfCli.badInput("rlhf " + name));
        return cli.execute(args);
    }

    @Command(mixinStandardHelpOptions = true, description = "Run a training job (configs composed in order).")
    static final class CommandSpecHolder implements Callable<Integer> {
        private final Function<Path, JobRunner> runners;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        JobOptions job;

        @Option(names = "--config-dir", description = "Where named configs live.")
        Path configDir;

        CommandSpecHolder(Function<Path, JobRunner> runners, Path defaultConfigDir) {
            this.runners = runners;
            this.configDir = defaultConfigDir;
        }

        @Override
        public Integer call() throws Exception {
            PreparedJob prepared = runners.apply(configDir).prepare(job.spec());
            spec.commandLine().getOut().println("run directory: " + prepared.runDir());
            prepared.run(new ProgressBar(spec.commandLine().getErr()));
            spec.commandLine().getOut().println("\ndone: " + prepared.runDir());
            return 0;
        }
    }
}
