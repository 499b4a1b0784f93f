package dev.rlhf.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class of the test classpath run in a JVM of its own, as a process of a deployment runs: its stdout and
 * stderr go to one log file, a test waits for a line of it, kills it as a crash would ({@code kill -9}) or waits for
 * its exit code. For tests of processes that fail, leave and come back (the PPO chaos test's learner and workers).
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmOptions> -cp <this JVM's classpath> <main> <args>} with DJL offline; output to {@code log}
     * (appended, so a process started again under one name keeps one log).
     */
    public static ChildJvm start(String name, Path log, List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.offline=true");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("DJL_OFFLINE", "true");
        try {
            return new ChildJvm(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The log's lines so far. */
    public List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a line after the first {@code skip} lines matches, and returns it; fails, with the log's end, when
     * the process exits first or {@code timeout} passes.
     */
    public String awaitLine(int skip, Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = lines();
            for (int i = skip; i < lines.size(); i++) {
                if (matches.test(lines.get(i))) {
                    return lines.get(i);
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        name + " exited with " + process.exitValue() + " before the line came:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no such line within " + timeout + ":\n" + tail());
            }
            Thread.sleep(10);
        }
    }

    /** Kills the process at once ({@code SIGKILL}: no shutdown hook runs, nothing is closed) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The exit code, once the process ends within {@code timeout}; fails, with the log's end, otherwise. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + tail());
        }
        return process.exitValue();
    }

    /** The last 40 lines of the log, for failure messages. */
    public String tail() {
        List<String> lines = lines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
