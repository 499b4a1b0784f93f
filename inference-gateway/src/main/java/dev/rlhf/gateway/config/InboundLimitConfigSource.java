package dev.rlhf.gateway.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Sets {@code quarkus.grpc.server.max-inbound-message-size} from the served models ({@link InboundMessageLimit}).
 * Quarkus builds the gRPC server with the limit it reads at startup, so the limit is computed while the configuration
 * is assembled, before any bean or server starts: this factory (registered in {@code META-INF/services}) reads
 * {@code gateway.repo} from the other sources and scans its {@code config.pbtxt} files (not the ONNX files).
 *
 * <p>Its ordinal, {@value #ORDINAL}, is above the packaged {@code application.properties} (250) and below
 * {@code config/application.properties} (260), environment variables (300) and system properties (400): setting the
 * key in any of those overrides the computed limit. Without {@code gateway.repo}, or with a repository that cannot be
 * read (the start then fails on it, naming the file), it sets nothing and gRPC-java's default (4 MiB) applies.
 */
public final class InboundLimitConfigSource implements ConfigSourceFactory {

    public static final String KEY = "quarkus.grpc.server.max-inbound-message-size";

    static final int ORDINAL = 255;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue repo = context.getValue("gateway.repo");
        if (repo == null || repo.getValue() == null || repo.getValue().isBlank()) {
            return List.of();
        }
        long limit;
        try {
            limit = InboundMessageLimit.forRepository(Path.of(repo.getValue()));
        } catch (RuntimeException e) {
            return List.of(); // the model registry reports the broken repository at startup
        }
        return List.of(new PropertiesConfigSource(
                Map.of(KEY, Long.toString(limit)), "gateway inbound limit from " + repo.getValue(), ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
