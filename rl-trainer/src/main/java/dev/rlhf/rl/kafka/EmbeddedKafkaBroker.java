package dev.rlhf.rl.kafka;

import dev.rlhf.rl.net.FreePort;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) running inside this JVM, listening on free
 * loopback ports. It backs the one-JVM PPO default and the tests; a cluster uses Strimzi instead.
 *
 * <p>Startup is Kafka's own: the log directory is formatted with {@link Formatter} (what {@code kafka-storage.sh
 * format} does), then {@link KafkaRaftServer} starts both roles. A directory that is already formatted is reused as it
 * is, so a given directory keeps its topics across restarts (a restart takes about 3 s longer: the broker's previous
 * session must expire first); a temporary one is deleted by {@link #close()}.
 *
 * <p>Settings suit one node: replication factor 1 everywhere, no initial rebalance delay (consumer groups settle at
 * once), few internal partitions, a small log-cleaner buffer (the default allocates 128 MiB), no automatic topic
 * creation (topics come from {@link TopicAdmin}, so a misspelt name fails instead of creating a topic).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean deleteOnClose;
    private final String bootstrapServers;
    private final long startMillis;

    private EmbeddedKafkaBroker(
            KafkaRaftServer server, Path logDir, boolean deleteOnClose, String bootstrapServers, long startMillis) {
        this.server = server;
        this.logDir = logDir;
        this.deleteOnClose = deleteOnClose;
        this.bootstrapServers = bootstrapServers;
        this.startMillis = startMillis;
    }

    /** Starts a broker on a temporary log directory that {@link #close()} deletes. */
    public static EmbeddedKafkaBroker start() {
        try {
            return start(Files.createTempDirectory("rlhf-kafka-"), true, 0, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka log directory", e);
        }
    }

    /**
     * Starts a broker on {@code logDir} (created and formatted when needed, kept on close), with broker settings in
     * {@code overrides} replacing the defaults (e.g. {@code log.retention.hours}).
     */
    public static EmbeddedKafkaBroker start(Path logDir, Map<String, String> overrides) {
        return start(logDir, false, 0, overrides);
    }

    /**
     * Starts a broker on {@code logDir} (kept on close) listening for clients on loopback {@code port}: stopped and
     * started again on the same directory and port, it is the same cluster at the same address, and clients that were
     * connected to the first reconnect to the second (a broker restart in a test of faults).
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, Map<String, String> overrides) {
        if (port <= 0) {
            throw new IllegalArgumentException("a fixed broker port must be positive, got " + port);
        }
        return start(logDir, false, port, overrides);
    }

    private static EmbeddedKafkaBroker start(
            Path logDir, boolean deleteOnClose, int fixedPort, Map<String, String> overrides) {
        long t0 = System.nanoTime();
        RuntimeException last = null;
        // Free ports are found by binding port 0 and releasing it; another process may take one in between.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int brokerPort = fixedPort > 0 ? fixedPort : FreePort.loopback();
            int controllerPort = FreePort.loopback();
            KafkaConfig config = new KafkaConfig(settings(logDir, brokerPort, controllerPort, overrides), false);
            KafkaRaftServer server = null;
            try {
                format(logDir);
                long formatted = System.nanoTime();
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                long millis = (System.nanoTime() - t0) / 1_000_000;
                String bootstrap = "127.0.0.1:" + brokerPort;
                LOG.info(
                        "Embedded Kafka broker on {} started in {} ms (format {} ms), log dir {}",
                        bootstrap,
                        millis,
                        (formatted - t0) / 1_000_000,
                        logDir);
                return new EmbeddedKafkaBroker(server, logDir, deleteOnClose, bootstrap, millis);
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("Embedded Kafka start attempt {} failed: {}", attempt, e.toString());
                if (server != null) {
                    stop(server);
                }
            }
        }
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
        throw new IllegalStateException("embedded Kafka broker did not start in " + logDir, last);
    }

    private static Map<String, String> settings(
            Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        // A restart on the same log dir waits until the previous incarnation's session expires (its controlled
        // shutdown leaves it registered): 3 s instead of the default 9 s.
        props.put("broker.heartbeat.interval.ms", "500");
        props.put("broker.session.timeout.ms", "3000");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.putAll(overrides);
        return props;
    }

    /**
     * What {@code kafka-storage.sh format --ignore-formatted} does, without printing to stdout. A formatted directory
     * ({@code meta.properties} present) is left alone: the Formatter would reject it for its different cluster id.
     */
    private static void format(Path logDir) {
        String dir = logDir.toAbsolutePath().toString();
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log directory " + dir, e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Connection settings for the clients of this package. */
    public KafkaConnection connection() {
        return KafkaConnection.of(bootstrapServers);
    }

    public Path logDir() {
        return logDir;
    }

    /** Wall time from {@code start} to a broker that accepts clients, formatting included. */
    public long startMillis() {
        return startMillis;
    }

    /** Stops broker and controller, and deletes the log directory when it was a temporary one. */
    @Override
    public void close() {
        stop(server);
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete Kafka log directory {}: {}", dir, e.toString());
        }
    }
}
