package dev.rlhf.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.data.Portion;
import dev.rlhf.core.sft.SftConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigRoundTripTest {
    private final ConfigLoader loader = SftConfig.loader();

    private SftConfig roundTrip(SftConfig config) {
        String yaml = ConfigWriter.toYaml(config, List.of("composed from: test"));
        assertTrue(yaml.startsWith("# composed from: test\n"), yaml);
        return loader.loadDocument(yaml, "config.yaml", List.of()).bind(SftConfig.class);
    }

    @Test
    void theExampleConfigsBindAndReloadIdentically() {
        for (List<String> names :
                List.of(List.of("defaults", "tiny-llama", "hh-sft"), List.of("tiny-llama", "shakespeare-pretrain"))) {
            SftConfig config = loader.load(List.of(ConfigFiles.examples()), names, List.of())
                    .bind(SftConfig.class);
            assertEquals(config, roundTrip(config), "round trip of " + names);
        }
    }

    @Test
    void everyKindOfValueSurvivesTheRoundTrip() {
        SftConfig config = loader.load(
                        List.of(ConfigFiles.examples()),
                        List.of("tiny-llama", "hh-sft"),
                        List.of(
                                "data.datasets=[{path: a.jsonl.gz, size: 30, split: 0.1, skip_bad_lines: true},"
                                        + " {path: b.jsonl, fraction: 0.25, format: alpaca, split: 7}]",
                                "train.max_steps=100",
                                "train.lr=3.0e-4",
                                "resume=runs/x/checkpoints/last",
                                "exp='007'",
                                "tags=[yes, '1', a b]",
                                "samples.prompts=[\"line one\\nline two: with colon\", '#hash']"))
                .bind(SftConfig.class);
        SftConfig reloaded = roundTrip(config);
        assertEquals(config, reloaded);
        assertEquals(
                new Portion.Size(7), reloaded.data().datasets().get(1).split().orElseThrow());
        assertEquals(Optional.of(100), reloaded.train().maxSteps());
        assertEquals("007", reloaded.run().exp());
        assertEquals(List.of("yes", "1", "a b"), reloaded.run().tags());
        assertEquals(
                new ResumePolicy.FromPath(Path.of("runs/x/checkpoints/last")),
                reloaded.run().resume());
    }
}
