package dev.rlhf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

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
}
