package dev.rlhf.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rlhf serve --repo DIR}: the inference gateway (a Quarkus app) in front of a Triton model repository, run as
 * a child JVM with this one's terminal. Its exit code is this command's; stopping this JVM stops the gateway.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a Triton model repository (./rlhf export writes one) over KServe v2 gRPC with ONNX Runtime, plus "
                    + "the rlhf.v1 RewardService / LogProbService / PolicyService, on one port (gRPC and HTTP health).",
            "Other settings: RLHF_JAVA_OPTS=\"-Dgateway.<key>=...\" (see inference-gateway/README.md)."
        })
final class ServeCommand implements Callable<Integer> {

    /** What each option's value is, for "--repo needs a directory". */
    private static final Map<String, String> VALUES =
            Map.of("--repo", "a directory", "--port", "a number", "--host", "an address", "--policy", "a directory");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--repo",
            paramLabel = "DIR",
            description = "Model repository: DIR/NAME/config.pbtxt + DIR/NAME/1/model.onnx.")
    Path repo;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "8000",
            description = "Port for gRPC and HTTP (default ${DEFAULT-VALUE}).")
    String port;

    @Option(
            names = "--host",
            paramLabel = "H",
            defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface, "
                    + "then set GATEWAY_TOKEN so callers need 'authorization: Bearer <token>').")
    String host;

    @Option(
            names = "--policy",
            paramLabel = "DIR",
            description = "HF-layout policy directory for PolicyService.Generate (optional).")
    Path policy;

    @Option(names = "--no-batching", description = "Run every request alone (no dynamic batching).")
    boolean noBatching;

    @Mixin
    GatewayJar gateway;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String problem = problem();
        if (problem != null) {
            spec.commandLine().getErr().println("rlhf serve: " + problem);
            return RlhfCli.BAD_INPUT;
        }
        Process gatewayProcess = new ProcessBuilder(command()).inheritIO().start();
        Thread stop = new Thread(() -> stop(gatewayProcess), "rlhf-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int code = gatewayProcess.waitFor();
        Runtime.getRuntime().removeShutdownHook(stop);
        return code;
    }

    /** The first bad option, worded as the user sees it; null when every option is usable. */
    private String problem() {
        if (repo == null) {
            return "--repo is required (see rlhf serve --help)";
        }
        if (!Files.isDirectory(repo)) {
            return "--repo " + repo + ": not a directory";
        }
        if (!port.matches("[0-9]+")) {
            return "--port: expected a number, got '" + port + "'";
        }
        if (policy != null && !Files.isDirectory(policy)) {
            return "--policy " + policy + ": not a directory";
        }
        if (!Files.isRegularFile(gateway.path())) {
            return "no gateway at " + gateway.path() + " (build it: ./mvnw -pl inference-gateway -am package "
                    + "-DskipTests)";
        }
        return null;
    }

    /** {@code java $RLHF_JAVA_OPTS -D... -jar quarkus-run.jar}: the options ./rlhf gave this JVM apply there too. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String javaOpts = System.getenv().getOrDefault("RLHF_JAVA_OPTS", "").strip();
        if (!javaOpts.isEmpty()) {
            command.addAll(List.of(javaOpts.split("\\s+")));
        }
        command.add("-Dai.djl.offline=true");
        command.add("-Dgateway.repo=" + repo.toAbsolutePath().normalize());
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=" + host);
        command.add("-Dgateway.batching.enabled=" + !noBatching);
        if (policy != null) {
            command.add("-Dgateway.policy.path=" + policy.toAbsolutePath().normalize());
        }
        command.add("-jar");
        command.add(gateway.path().toAbsolutePath().toString());
        return command;
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Usage errors in the words of the former shell front end: {@code rlhf serve: --port needs a number},
     * {@code rlhf serve: unknown option '--x' (see rlhf serve --help)}; exit code 2.
     */
    static CommandLine.IParameterExceptionHandler usageErrors() {
        return (e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getUnmatched().isEmpty()) {
                err.println("rlhf serve: unknown option '"
                        + unmatched.getUnmatched().get(0) + "' (see rlhf serve --help)");
            } else if (e instanceof CommandLine.MissingParameterException missing
                    && missing.getMissing().size() == 1
                    && missing.getMissing().get(0) instanceof CommandLine.Model.OptionSpec option
                    && VALUES.containsKey(option.longestName())) {
                err.println("rlhf serve: " + option.longestName() + " needs " + VALUES.get(option.longestName()));
            } else {
                err.println("rlhf serve: " + e.getMessage() + " (see rlhf serve --help)");
            }
            return RlhfCli.BAD_INPUT;
        };
    }
}
