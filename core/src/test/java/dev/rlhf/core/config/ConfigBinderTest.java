package dev.rlhf.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.sft.SftConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every binding error names the source (file:line or --set) and the dotted key. */
class ConfigBinderTest {
    private final ConfigLoader loader = SftConfig.loader();

    @TempDir
    Path dir;

    private List<String> problems(String yaml, String... overrides) {
        ConfigFiles.write(dir, "hh-sft.yaml", yaml);
        ComposedConfig composed = loader.load(List.of(dir), List.of("hh-sft"), List.of(overrides));
        return assertThrows(ConfigException.class, () -> composed.bind(SftConfig.class))
                .problems();
    }

    @Test
    void anUnknownKeyNamesFileLineAndSuggestsTheKeyMeant() {
        List<String> problems = problems(ConfigFiles.MODEL + "train:\n  epochs: 2\n  lrr: 1.0e-4\n");
        assertEquals(List.of("unknown key 'train.lrr' (from hh-sft.yaml:6; did you mean 'train.lr'?)"), problems);
    }

    @Test
    void aKeyInTheWrongSectionSuggestsWhereItBelongs() {
        List<String> problems = problems(ConfigFiles.MODEL + "warmup_steps: 10\n");
        assertEquals(
                List.of("unknown key 'warmup_steps' (from hh-sft.yaml:4; did you mean 'train.warmup_steps'?)"),
                problems);
    }

    @Test
    void anIllTypedValueNamesFileLineAndKey() {
        List<String> problems = problems(ConfigFiles.MODEL + "train:\n  lr: fast\n");
        assertEquals(List.of("hh-sft.yaml:5: train.lr: expected a number, got \"fast\""), problems);
    }

    @Test
    void anIllTypedOverrideNamesTheOverride() {
        List<String> problems = problems(ConfigFiles.MODEL, "train.lr=abc");
        assertEquals(List.of("--set train.lr=abc: train.lr: expected a number, got \"abc\""), problems);
    }

    @Test
    void integersEnumsBooleansAndSectionsAreChecked() {
        List<String> problems = problems(ConfigFiles.MODEL
                + "seq_len: 1.5\n"
                + "packing: maybe\n"
                + "train:\n  schedule: cosin\n"
                + "samples: [a]\n");
        assertEquals(
                List.of(
                        "hh-sft.yaml:4: seq_len: expected an integer, got 1.5",
                        "hh-sft.yaml:5: packing: expected true or false, got \"maybe\"",
                        "hh-sft.yaml:7: train.schedule: expected one of cosine, linear, constant, got \"cosin\"",
                        "hh-sft.yaml:8: samples: expected a section of keys, got a list"),
                problems);
    }

    @Test
    void rangeChecksOfTheRecordsNameTheKey() {
        List<String> problems = problems(ConfigFiles.MODEL + "train:\n  lr: -1.0\n");
        assertEquals(List.of("hh-sft.yaml:5: train.lr: must be > 0, got -1.0"), problems);
    }

    @Test
    void fractionAndSizeTogetherAreRejected() {
        List<String> problems = problems(
                ConfigFiles.MODEL + "data:\n  datasets:\n    - path: a.jsonl\n      fraction: 0.5\n      size: 30\n");
        assertEquals(List.of("hh-sft.yaml:8: data.datasets.0.size: give fraction or size, not both"), problems);
    }

    @Test
    void aModelIsRequired() {
        List<String> problems = problems("exp: x\n");
        assertEquals(1, problems.size());
        assertTrue(
                problems.get(0).matches("defaults\\.yaml:\\d+: model\\.path: give model\\.path, or model\\.init .*"),
                problems.get(0));
    }

    @Test
    void allProblemsAreReportedTogether() {
        List<String> problems = problems(ConfigFiles.MODEL + "train:\n  lr: fast\n  epochs: many\nexpp: y\n");
        assertEquals(3, problems.size(), String.join("\n", problems));
        assertTrue(problems.contains("unknown key 'expp' (from hh-sft.yaml:7; did you mean 'exp'?)"));
    }
}
