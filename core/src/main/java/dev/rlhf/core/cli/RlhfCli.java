package dev.rlhf.core.cli;

import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.model.ModelConfigException;
import dev.rlhf.core.runs.RunConflictException;
import dev.rlhf.core.tokenizer.TokenizerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./rlhf}: the command line of the suite. Each subcommand has its own {@code --help}. */
@Command(
        name = "rlhf",
        mixinStandardHelpOptions = true,
        version = "rlhf 0.1.0",
        description = "Supervised fine-tuning, reward modelling and PPO for Llama-family models on the JVM.",
        subcommands = {
            TokenizerCommand.class,
            ChatCommand.class,
            ModelCommand.class,
            GenerateCommand.class,
            LogprobsCommand.class,
            BenchCommand.class,
            SftCommand.class,
            RmCommand.class,
            DatasetCommand.class,
            ExportCommand.class,
            DemoCommand.class
        })
public final class RlhfCli {

    /** Exit code for bad input: the message says which file, field or parameter. */
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        quietLogging();
        System.exit(commandLine().execute(args));
    }

    /**
     * The terminal shows the command's own output and warnings that matter: unless the user set them, libraries log
     * at WARN, and DJL's CUDA probe (which warns on every engine start of a CPU build) only on errors.
     */
    private static void quietLogging() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new RlhfCli()).setExecutionExceptionHandler(badInput("rlhf"));
    }

    /**
     * Ends a command that failed on bad input (config, data, checkpoint or tokenizer errors) with one line,
     * {@code <command>: error: <message>}, and exit code {@link #BAD_INPUT}; anything else propagates.
     */
    public static CommandLine.IExecutionExceptionHandler badInput(String command) {
        return (e, cmd, parsed) -> {
            if (isBadInput(e)) {
                cmd.getErr().println(command + ": error: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        };
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof CheckpointException
                || e instanceof TokenizerException
                || e instanceof ModelConfigException
                || e instanceof RunConflictException
                || e instanceof IllegalArgumentException;
    }
}
