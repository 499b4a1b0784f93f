package dev.rlhf.core.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.Portion;
import dev.rlhf.core.jobs.JobSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shipped defaults and example configs compose and bind. */
class RmConfigTest {

    private static final Path CONFIGS = RmFixtures.ROOT.resolve("configs/rm");

    @Test
    void tinyRmOnHhBindsWithEveryKeyFromTheDefaults() {
        RmConfig config = new RmJobRunner(List.of(CONFIGS))
                .compose(new JobSpec(List.of("tiny-rm", "hh-rm"), "", List.of("margin_column=margin")))
                .bind(RmConfig.class);
        assertEquals(
                Optional.of(Path.of("configs/model/tiny.json")), config.model().init());
        assertEquals(
                Path.of("data/hh-harmless-pairs.jsonl.gz"),
                config.data().specs().get(0).path());
        assertEquals(DataFormat.HH, config.data().specs().get(0).format());
        assertEquals(new Portion.Size(200), config.data().split());
        assertEquals(128, config.seqLen());
        assertEquals(Optional.of("margin"), config.marginColumn());
        assertEquals(Optional.of(2000), config.rewardStatsSamples());
        assertEquals("rm", config.run().project());
        assertEquals("hh-rm", config.run().exp());
        assertEquals(List.of("hh", "rm"), config.run().tags(), "lists replace, later wins");
    }

    @Test
    void theDefaultsAloneLeaveNoMarginAndScoreAllPromptsWhenAsked() {
        RmConfig config = new RmJobRunner(List.of())
                .compose(new JobSpec(List.of(), "model: {path: x}\nreward_stats_samples: null\n", List.of()))
                .bind(RmConfig.class);
        assertEquals(Optional.empty(), config.marginColumn());
        assertEquals(Optional.empty(), config.rewardStatsSamples());
        assertEquals(DataFormat.AUTO, config.data().format());
    }
}
