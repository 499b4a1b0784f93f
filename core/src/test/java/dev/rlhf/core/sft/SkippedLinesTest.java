package dev.rlhf.core.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.TestData;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.runs.MetricsLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines that {@code skip_bad_lines} skipped are on record in the run's metrics, not only in a log nobody reads. */
class SkippedLinesTest {

    @TempDir
    Path dir;

    @Test
    void skippedLinesAreReportedInTheMetrics() throws Exception {
        Path gz = TestData.file("hh-harmless-pairs.jsonl.gz");
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && lines.size() < 40; line = in.readLine()) {
                lines.add(line);
            }
        }
        lines.add(3, "{not json");
        lines.add(10, "[1, 2, 3]");
        Path data = Files.write(dir.resolve("with-bad-lines.jsonl"), lines);
        String config = SftFixtures.config(dir, 16)
                .replace(gz.toAbsolutePath().toString(), data.toString())
                .replace("      size: 32", "      size: 32\n      skip_bad_lines: true");
        List<Map<String, Object>> reported = new ArrayList<>();
        PreparedJob job =
                new SftJobRunner(List.of()).prepare(new JobSpec(List.of(), config, List.of("train.max_steps=1")));
        job.run(new JobContext() {
            @Override
            public void report(long step, long totalSteps, Map<String, Object> metrics) {
                reported.add(metrics);
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        });
        Map<String, Object> first =
                new MetricsLog(job.runDir().resolve("metrics.jsonl")).read().get(0);
        assertEquals(2, ((Number) first.get("data/skipped_lines")).intValue(), first.toString());
        assertEquals(2, ((Number) reported.get(0).get("data/skipped_lines")).intValue());
    }
}
