package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./rlhf ppo}: bad input ends with one line naming the command and the problem, and exit code 2. */
class PpoCommandTest {

    @Test
    void anUnknownConfigIsNamed() {
        StringWriter err = new StringWriter();
        int code = RlhfCli.commandLine()
                .setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(new StringWriter(), true))
                .execute("ppo", "--config-dir", "../configs/ppo", "--configs", "no-such-config");
        assertEquals(RlhfCli.BAD_INPUT, code, err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(
                err.toString().startsWith("rlhf ppo: error: ") && err.toString().contains("no-such-config"),
                err.toString());
    }

    @Test
    void aWorkerWhoseBrokerDoesNotAnswerIsOneLineNamingTheAddress(@TempDir Path dir) throws Exception {
        for (String model : List.of("sft", "rm")) { // a tokenizer with its chat template (checked first), no weights
            Path to = Files.createDirectories(dir.resolve(model));
            for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
                Files.copy(Path.of("../configs/tokenizer/shakespeare-2k", file), to.resolve(file));
            }
        }
        Files.writeString(dir.resolve("prompts.jsonl"), "{\"prompt\": \"hi\"}\n");
        String nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = "127.0.0.1:" + socket.getLocalPort(); // free once closed: nothing listens there
        }
        StringWriter err = new StringWriter();
        int code = RlhfCli.commandLine()
                .setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(new StringWriter(), true))
                .execute(
                        "ppo",
                        "--config-dir",
                        "../configs/ppo",
                        "--configs",
                        "tiny-ppo",
                        "--set",
                        "role=worker",
                        "--set",
                        "kafka.bootstrap=" + nobody,
                        "--set",
                        "kafka.connect_timeout_s=1",
                        "--set",
                        "policy.path=" + dir.resolve("sft"),
                        "--set",
                        "policy.reward_model=" + dir.resolve("rm"),
                        "--set",
                        "prompts.path=" + dir.resolve("prompts.jsonl"),
                        "--set",
                        "output_dir=" + dir.resolve("runs"));
        assertEquals(RlhfCli.BAD_INPUT, code, err.toString());
        assertEquals(
                "rlhf ppo: error: kafka.bootstrap: no Kafka broker answered at " + nobody
                        + " within 1 s (kafka.connect_timeout_s)",
                err.toString().strip());
    }
}
