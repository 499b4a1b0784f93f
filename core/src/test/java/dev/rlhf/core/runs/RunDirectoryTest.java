package dev.rlhf.core.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.sft.SftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path out;

    @Test
    void theRunIsNamedAfterExperimentAndConfigs() {
        RunDirectory run = RunDirectory.create(
                out, "sft", "exp1", List.of("defaults", "tiny-llama", "configs/hh-sft.yaml"), false);
        assertEquals(out.resolve("sft").resolve("exp1-tiny-llama-hh-sft"), run.path());
        assertTrue(Files.isDirectory(run.checkpoints()));
        assertTrue(Files.isDirectory(run.samplesDir()));
        assertEquals(run.path().resolve("checkpoints/last"), run.lastCheckpoint());
        assertEquals(run.path().resolve("checkpoints/best"), run.bestCheckpoint());
        assertEquals(run.path().resolve("config.yaml"), run.configFile());
    }

    @Test
    void debugRunsGoToTheirOwnProject() {
        RunDirectory run = RunDirectory.create(out, "sft", "try", List.of("tiny"), true);
        assertEquals(out.resolve("sft-debug").resolve("try-tiny"), run.path());
    }

    @Test
    void unsafeNamesStayOneSegment() {
        assertEquals("a_b-c", RunDirectory.runName("a/b", List.of("c")));
        assertThrows(RunException.class, () -> RunDirectory.runName("..", List.of()));
    }

    @Test
    void theResolvedConfigIsWrittenWithTagsAndReloadsIdentically() throws IOException {
        ComposedConfig composed = SftConfig.loader()
                .load(
                        List.of(Path.of("..", "configs", "sft")),
                        List.of("tiny-llama", "hh-sft"),
                        List.of("debug=false"));
        SftConfig config = composed.bind(SftConfig.class);
        RunDirectory run = RunDirectory.create(
                out,
                config.run().project(),
                config.run().exp(),
                composed.names(),
                config.run().debug());
        run.writeConfig(config, composed);

        String yaml = Files.readString(run.configFile());
        assertTrue(
                yaml.startsWith("# resolved config; composed from: defaults tiny-llama hh-sft\n# --set debug=false\n"),
                yaml);
        assertTrue(yaml.contains("tags:\n  - hh\n  - sft\n"), yaml);
        SftConfig reloaded =
                SftConfig.loader().loadDocument(yaml, "config.yaml", List.of()).bind(SftConfig.class);
        assertEquals(config, reloaded);
        try (Stream<Path> files = Files.list(run.path())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp")), "no temp file left");
        }
    }

    @Test
    void metricsAreAppendedLineByLineAndReadBack() throws IOException {
        MetricsLog metrics =
                RunDirectory.create(out, "p", "e", List.of(), false).metrics();
        assertEquals(List.of(), metrics.read());
        metrics.append(Map.of("step", 1, "loss", 2.5));
        metrics.append(Map.of("step", 2, "loss", 2.25, "lr", 1e-4));
        assertEquals(2, Files.readAllLines(metrics.file()).size());

        Files.writeString(metrics.file(), "{\"step\": 3, \"lo", StandardOpenOption.APPEND);
        List<Map<String, Object>> records = metrics.read();
        assertEquals(2, records.size(), "a line still being written is not a record");
        assertEquals(2, records.get(1).get("step"));
        assertEquals(2.25, records.get(1).get("loss"));
    }

    @Test
    void aCorruptMetricsLineNamesFileAndLine() throws IOException {
        MetricsLog metrics =
                RunDirectory.create(out, "p", "e", List.of(), false).metrics();
        metrics.append(Map.of("step", 1));
        Files.writeString(metrics.file(), "not json\n", StandardOpenOption.APPEND);
        RunException e = assertThrows(RunException.class, metrics::read);
        assertTrue(e.getMessage().startsWith(metrics.file() + ":2: "), e.getMessage());
    }

    @Test
    void theEpochLogIsRewrittenWhole() throws IOException {
        RunDirectory run = RunDirectory.create(out, "p", "e", List.of(), false);
        EpochLog log = run.epochLog();
        log.append(Map.of("epoch", 0, "train_loss", 3.0));
        log.append(Map.of("epoch", 1, "train_loss", 2.0, "eval_loss", 2.5));
        List<Map<String, Object>> epochs = run.epochLog().read();
        assertEquals(2, epochs.size());
        assertEquals(2.5, epochs.get(1).get("eval_loss"));
        assertTrue(Files.readString(run.path().resolve("log.json")).startsWith("{"));

        log.write(epochs.subList(0, 1));
        assertEquals(1, log.read().size());
    }
}
