package dev.rlhf.cli;

import dev.rlhf.cli.pipeline.PipelineCommand;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.model.ModelConfigException;
import dev.rlhf.core.runs.RunConflictException;
import dev.rlhf.core.tokenizer.TokenizerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./rlhf}: the command line of the suite, its one entry point. Each subcommand has its own {@code --help}.
 * Everything runs in this JVM except {@code serve} and PPO's embedded scoring, which start the inference gateway's
 * packaged app as a child JVM.
 */
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
            AccuracyCommand.class,
            BenchCommand.class,
            SftCommand.class,
            RmCommand.class,
            PpoCommand.class,
            EvalCommand.class,
            PipelineCommand.class,
            DatasetCommand.class,
            ExportCommand.class,
            ServeCommand.class,
            MergeCommand.class,
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
     * at WARN; DJL's CUDA probe (which warns on every engine start of a CPU build) only on errors; the embedded Kafka
     * broker's expected warnings (an empty metadata log on a fresh log dir, a controller channel closed twice on
     * shutdown) only on errors; the suite's Kafka layer says which topics it creates.
     */
    private static void quietLogging() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "error");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.controller", "error");
        System.getProperties()
                .putIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.dev.rlhf.rl.kafka", "info");
    }

    /**
     * The parsed command line. {@code ppo} and {@code pipeline} name themselves in their error line
     * ({@code rlhf ppo: error: ...}); {@code serve} words usage errors as {@code rlhf serve: ...}.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RlhfCli()).setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.IExecutionExceptionHandler rlhf = badInput("rlhf");
        CommandLine.IExecutionExceptionHandler ppo = badInput("rlhf ppo");
        CommandLine.IExecutionExceptionHandler pipeline = badInput("rlhf pipeline");
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Object command = cmd.getCommand();
            CommandLine.IExecutionExceptionHandler handler =
                    command instanceof PpoCommand ? ppo : command instanceof PipelineCommand ? pipeline : rlhf;
            return handler.handleExecutionException(e, cmd, parsed);
        });
        CommandLine.IParameterExceptionHandler standard = cli.getParameterExceptionHandler();
        CommandLine.IParameterExceptionHandler serve = ServeCommand.usageErrors();
        cli.setParameterExceptionHandler((e, args) -> e.getCommandLine().getCommand() instanceof ServeCommand
                ? serve.handleParseException(e, args)
                : standard.handleParseException(e, args));
        return cli;
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
