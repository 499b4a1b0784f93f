package dev.rlhf.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The inference gateway's runnable jar, which {@code serve} and PPO's embedded scoring start as a child JVM.
 * {@code ./rlhf} builds it and names it with {@code -Drlhf.gateway-jar}; otherwise it is looked up from the working
 * directory, the repository root.
 */
public final class GatewayJar {

    /** The system property {@code ./rlhf} sets. */
    public static final String PROPERTY = "rlhf.gateway-jar";

    @Option(
            names = "--gateway-jar",
            paramLabel = "JAR",
            defaultValue = "${sys:" + PROPERTY + ":-inference-gateway/target/quarkus-app/quarkus-run.jar}",
            description = "The inference gateway's quarkus-run.jar (default ${DEFAULT-VALUE}).")
    Path jar;

    public Path path() {
        return jar;
    }
}
