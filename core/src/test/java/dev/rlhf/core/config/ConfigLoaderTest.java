package dev.rlhf.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.Portion;
import dev.rlhf.core.sft.SftConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = SftConfig.loader();

    @TempDir
    Path dir;

    @Test
    void laterConfigsWinAndSectionsMergeDeeply() {
        ConfigFiles.write(dir, "a.yaml", ConfigFiles.MODEL + "exp: a\ntrain:\n  lr: 0.1\n  epochs: 3\ntags: [x, y]\n");
        ConfigFiles.write(dir, "b.yaml", "exp: b\ntrain:\n  lr: 0.2\ntags: [z]\n");

        SftConfig ab = loader.load(List.of(dir), List.of("a", "b"), List.of()).bind(SftConfig.class);
        assertEquals("b", ab.run().exp());
        assertEquals(0.2, ab.train().lr());
        assertEquals(3, ab.train().epochs(), "a sibling key of a later section survives the merge");
        assertEquals(List.of("z"), ab.run().tags(), "lists are replaced, not concatenated");
        assertEquals(0.95, ab.train().adamBeta2(), "untouched keys keep the shipped defaults");

        SftConfig ba = loader.load(List.of(dir), List.of("b", "a"), List.of()).bind(SftConfig.class);
        assertEquals("a", ba.run().exp());
        assertEquals(0.1, ba.train().lr());
    }

    @Test
    void namesResolveInSearchDirectoriesAndDefaultsMayBeNamed() {
        Path other = dir.resolve("other");
        ConfigFiles.write(dir, "m.yaml", ConfigFiles.MODEL);
        ConfigFiles.write(dir, "e.yml", "exp: from-yml\n");
        ComposedConfig composed = loader.load(List.of(other, dir), List.of("defaults", "m", "e"), List.of());
        assertEquals("from-yml", composed.bind(SftConfig.class).run().exp());
        assertEquals(List.of("defaults", "m", "e"), composed.names());
    }

    @Test
    void setOverridesNestedKeysListsAndListItems() {
        ConfigFiles.write(dir, "m.yaml", ConfigFiles.MODEL + "data:\n  datasets:\n    - path: a.jsonl\n");
        SftConfig config = loader.load(
                        List.of(dir),
                        List.of("m"),
                        List.of(
                                "train.lr=1e-4",
                                "train.schedule=linear",
                                "tags=[one, two]",
                                "data.datasets.0.size=30",
                                "data.datasets.0.format=chat",
                                "data.split=200",
                                "model.init=null",
                                "model.path=models/base"))
                .bind(SftConfig.class);
        assertEquals(1e-4, config.train().lr());
        assertEquals(Schedule.LINEAR, config.train().schedule());
        assertEquals(List.of("one", "two"), config.run().tags());
        assertEquals(Optional.of(30), config.data().datasets().get(0).size());
        assertEquals(
                Optional.of(DataFormat.CHAT), config.data().datasets().get(0).format());
        assertEquals(new Portion.Size(200), config.data().split());
        assertEquals(Optional.of(Path.of("models/base")), config.model().path());
        assertEquals(Optional.empty(), config.model().init());
    }

    @Test
    void aJsonBodyComposesOverTheDefaults() {
        String body = """
                {"model": {"init": "configs/model/tiny.json", "tokenizer": "tok"},
                 "train": {"lr": 0.001, "batch_size": 4},
                 "data": {"datasets": [{"path": "d.jsonl", "fraction": 0.5}]}}
                """;
        SftConfig config = loader.loadDocument(body, "request body", List.of("train.epochs=2"))
                .bind(SftConfig.class);
        assertEquals(0.001, config.train().lr());
        assertEquals(4, config.train().batchSize());
        assertEquals(2, config.train().epochs());
        assertEquals(Optional.of(0.5), config.data().datasets().get(0).fraction());
        assertEquals(42, config.train().seed(), "the shipped default");
    }

    @Test
    void aBadBodyNamesItsLine() {
        String body = "{\"model\": {\"init\": \"c.json\", \"tokenizer\": \"t\"},\n \"train\": {\"lr\": \"fast\"}}";
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader.loadDocument(body, "request body", List.of()).bind(SftConfig.class));
        assertEquals(List.of("request body:2: train.lr: expected a number, got \"fast\""), e.problems());
    }

    @Test
    void anUnknownConfigNameSuggestsTheNearestOne() {
        ConfigFiles.write(dir, "tiny-llama.yaml", ConfigFiles.MODEL);
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.load(List.of(dir), List.of("tiny-lama"), List.of()));
        assertTrue(e.getMessage().contains("no config named 'tiny-lama'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'tiny-llama'?"), e.getMessage());
    }

    @Test
    void malformedOverridesAreNamed() {
        ConfigException noEquals =
                assertThrows(ConfigException.class, () -> loader.load(List.of(), List.of(), List.of("train.lr")));
        assertEquals("--set train.lr: expected key.path=value", noEquals.getMessage());

        ConfigException intoValue =
                assertThrows(ConfigException.class, () -> loader.load(List.of(), List.of(), List.of("train.lr.x=1")));
        assertTrue(
                intoValue.getMessage().startsWith("--set train.lr.x=1: 'train.lr' is a value (from defaults.yaml:"),
                intoValue.getMessage());

        ConfigException badIndex = assertThrows(
                ConfigException.class, () -> loader.load(List.of(), List.of(), List.of("data.datasets.3.size=1")));
        assertTrue(badIndex.getMessage().contains("'data.datasets' has 0 items"), badIndex.getMessage());
    }

    @Test
    void invalidYamlNamesFileAndLine() {
        ConfigFiles.write(dir, "broken.yaml", "train:\n  lr: [1, 2\nexp: x\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.load(List.of(dir), List.of("broken"), List.of()));
        assertTrue(e.getMessage().matches("broken\\.yaml:\\d+: invalid YAML: .*"), e.getMessage());
    }

    @Test
    void duplicateKeysAreErrors() {
        ConfigFiles.write(dir, "dup.yaml", "train:\n  lr: 0.1\n  lr: 0.2\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader.load(List.of(dir), List.of("dup"), List.of()));
        assertEquals("dup.yaml:3: duplicate key 'lr'", e.getMessage());
    }
}
