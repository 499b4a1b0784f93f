package dev.rlhf.core.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rlhf.core.runs.SampleLog.Entry;
import dev.rlhf.core.runs.SampleLog.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleLogTest {
    @TempDir
    Path run;

    @Test
    void samplesRoundTripIncludingBlankLinesAndTrailingNewlines() {
        List<Sample> samples = List.of(
                new Sample("How do I bake bread?", "Mix flour and water.\n\nThen wait.\n"),
                new Sample("two\nlines", ""),
                new Sample("last", "ends here"));
        SampleLog log = SampleLog.of(run);
        log.write(10, samples);
        assertEquals(List.of(new Entry(10, samples)), log.latest(1));
    }

    @Test
    void theFileIsTheReadableFormatTheReadmesDescribe() throws IOException {
        SampleLog log = SampleLog.of(run);
        log.write(7, List.of(new Sample("Hi", "Hello."), new Sample("Bye", "See you.")));
        assertEquals(
                "### prompt\nHi\n### completion\nHello.\n\n### prompt\nBye\n### completion\nSee you.\n\n",
                Files.readString(run.resolve("samples/step-000007.txt")));
    }

    @Test
    void latestIsNewestFirstByStepNotByName() {
        SampleLog log = SampleLog.of(run);
        for (long step : new long[] {5, 1_000_000, 40}) {
            log.write(step, List.of(new Sample("p", "at " + step)));
        }
        List<Entry> latest = log.latest(2);
        assertEquals(List.of(1_000_000L, 40L), latest.stream().map(Entry::step).toList());
        assertEquals("at 40", latest.get(1).samples().get(0).completion());
        assertEquals(3, log.latest(10).size());
    }

    @Test
    void otherFilesAreIgnoredAndAMissingDirectoryHasNoSamples() throws IOException {
        assertEquals(List.of(), SampleLog.of(run.resolve("not-yet")).latest(1));
        SampleLog log = SampleLog.of(run);
        log.write(3, List.of(new Sample("p", "c")));
        Files.writeString(log.dir().resolve("notes.txt"), "not a sample file");
        Files.writeString(log.dir().resolve(".step-000009.txt.tmp"), "### prompt\nhalf");
        assertEquals(List.of(3L), log.latest(5).stream().map(Entry::step).toList());
    }

    @Test
    void aLimitBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SampleLog.of(run).latest(0));
    }
}
