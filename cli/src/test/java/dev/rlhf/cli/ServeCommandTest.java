package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./rlhf serve}: the former shell front end's options and messages, and the gateway as a child JVM that gets
 * the settings, the environment and the last word (its exit code).
 */
class ServeCommandTest {

    @TempDir
    Path tmp;

    private StringWriter err;

    private int serve(String... args) {
        CommandLine cli = RlhfCli.commandLine();
        err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        String[] full = new String[args.length + 1];
        full[0] = "serve";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.execute(full);
    }

    private void assertBadInput(String message, String... args) {
        assertEquals(RlhfCli.BAD_INPUT, serve(args), err.toString());
        assertEquals(message, err.toString().strip());
    }

    @Test
    void badOptionsEndWithOneLineAndExitCode2() {
        String repo = tmp.toString();
        assertBadInput("rlhf serve: --repo is required (see rlhf serve --help)");
        assertBadInput("rlhf serve: --repo /nope: not a directory", "--repo", "/nope");
        assertBadInput("rlhf serve: --repo needs a directory", "--repo");
        assertBadInput("rlhf serve: --port needs a number", "--repo", repo, "--port");
        assertBadInput("rlhf serve: --port: expected a number, got 'x'", "--repo", repo, "--port", "x");
        assertBadInput("rlhf serve: --policy /nope: not a directory", "--repo", repo, "--policy", "/nope");
        assertBadInput("rlhf serve: unknown option '--bogus' (see rlhf serve --help)", "--bogus");
    }

    @Test
    void theGatewayRunsAsAChildWithTheSettingsAndItsExitCodeIsTheCommands() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path policy = Files.createDirectories(tmp.resolve("policy"));
        int code = serve(
                "--repo",
                repo.toString(),
                "--port",
                "8123",
                "--host",
                "0.0.0.0",
                "--policy",
                policy.toString(),
                "--no-batching",
                "--gateway-jar",
                fakeGatewayJar().toString());
        assertEquals(FakeGateway.EXIT_CODE, code, err.toString());
        Properties seen = new Properties();
        try (var in = Files.newInputStream(repo.resolve(FakeGateway.SEEN))) {
            seen.load(in);
        }
        assertEquals(repo.toAbsolutePath().toString(), seen.getProperty("gateway.repo"));
        assertEquals("8123", seen.getProperty("quarkus.http.port"));
        assertEquals("0.0.0.0", seen.getProperty("quarkus.http.host"));
        assertEquals("false", seen.getProperty("gateway.batching.enabled"));
        assertEquals(policy.toAbsolutePath().toString(), seen.getProperty("gateway.policy.path"));
        assertEquals("true", seen.getProperty("ai.djl.offline"));
        assertEquals(System.getenv("GLIBC_TUNABLES"), seen.getProperty("env.GLIBC_TUNABLES"), "inherited");
    }

    /** A jar that runs {@link FakeGateway} from this module's test classes, standing in for quarkus-run.jar. */
    private Path fakeGatewayJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeGateway.class.getName());
        String testClasses = FakeGateway.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString();
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses);
        Path jar = tmp.resolve("quarkus-run.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream unused = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }

    /** Writes the settings it was started with into {@code <gateway.repo>/seen.properties}, then exits with 3. */
    public static final class FakeGateway {
        static final int EXIT_CODE = 3;
        static final String SEEN = "seen.properties";

        public static void main(String[] args) throws IOException {
            Properties seen = new Properties();
            for (String key : new String[] {
                "gateway.repo",
                "quarkus.http.port",
                "quarkus.http.host",
                "gateway.batching.enabled",
                "gateway.policy.path",
                "ai.djl.offline"
            }) {
                if (System.getProperty(key) != null) {
                    seen.setProperty(key, System.getProperty(key));
                }
            }
            seen.setProperty("env.GLIBC_TUNABLES", String.valueOf(System.getenv("GLIBC_TUNABLES")));
            try (OutputStream out = Files.newOutputStream(Path.of(System.getProperty("gateway.repo"), SEEN))) {
                seen.store(out, null);
            }
            System.exit(EXIT_CODE);
        }
    }
}
