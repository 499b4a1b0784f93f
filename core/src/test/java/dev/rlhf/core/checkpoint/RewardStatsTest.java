package dev.rlhf.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardStatsTest {

    @TempDir
    Path dir;

    @Test
    void meanAndPopulationStdNormaliseRewards() {
        RewardStats stats = RewardStats.of(new float[] {1f, 2f, 3f, 6f});
        assertEquals(3.0, stats.mean(), 1e-12);
        assertEquals(Math.sqrt((4 + 1 + 0 + 9) / 4.0), stats.std(), 1e-12);
        assertEquals(4, stats.count());
        assertEquals(1.0, stats.normalise(3.0 + stats.std()), 1e-12);
        assertEquals(0.0, RewardStats.of(new float[] {2f, 2f}).normalise(2.0), 0.0, "constant rewards stay finite");
    }

    @Test
    void writtenBesideAModelAndReadBack() throws Exception {
        assertEquals(Optional.empty(), RewardStats.read(dir), "no stats: nothing to normalise with");
        RewardStats stats = new RewardStats(-0.25, 1.5, 1700);
        stats.write(dir);
        assertEquals(Optional.of(stats), RewardStats.read(dir));
        assertTrue(Files.readString(dir.resolve("reward_stats.json")).contains("\"count\" : 1700"));

        Files.writeString(dir.resolve(RewardStats.FILE), "{\"mean\": 0.1, \"std\": \"wide\", \"count\": 3}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> RewardStats.read(dir));
        assertTrue(e.getMessage().contains("reward_stats.json: field 'std'"), e.getMessage());
    }
}
