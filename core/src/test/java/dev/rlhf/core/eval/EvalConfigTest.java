package dev.rlhf.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlhf.core.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The eval job's config: every default documented, the judges' sections bound, bad values named by key. */
class EvalConfigTest {

    private static final List<String> TWO_MODELS = List.of(
            "prompts.path=p.jsonl", "models=[{name: sft, path: a}, {name: rl, path: b}]", "judges.reward_model=rm");

    private static EvalConfig bind(String... more) {
        List<String> overrides = new ArrayList<>(TWO_MODELS);
        overrides.addAll(List.of(more));
        return EvalConfig.loader().load(List.of(), List.of(), overrides).bind(EvalConfig.class);
    }

    @Test
    void bindsWithEveryKeyFromTheDefaults() {
        EvalConfig config = bind("reference=sft", "judges.llm.base_url=http://127.0.0.1:9/v1");
        assertEquals("rl", config.models().get(1).name());
        assertEquals(Path.of("rm"), config.judges().rewardModel().orElseThrow());
        assertEquals("http://127.0.0.1:9/v1", config.judges().llm().baseUrl().orElseThrow());
        assertEquals(4, config.judges().llm().concurrency());
        assertEquals(100, config.prompts().count());
        assertEquals("sft", config.reference().orElseThrow());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertRefused("models", "models=[{name: sft, path: a}]");
        assertRefused("models", "models=[{name: x, path: a}, {name: x, path: b}]");
        assertRefused("reference", "reference=ppo");
        assertRefused("judges", "judges.reward_model=null");
        assertRefused("judges.llm.base_url", "judges.llm.base_url=localhost:8080");
        assertRefused("judges.llm.concurrency", "judges.llm.concurrency=0");
        assertRefused("generation.max_new_tokens", "generation.max_new_tokens=0");
    }

    private static void assertRefused(String key, String override) {
        ConfigException e = assertThrows(ConfigException.class, () -> bind(override));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void everyDefaultKeyIsDocumentedWhereItIsSet() throws Exception {
        List<String> undocumented = new ArrayList<>();
        try (var in = EvalConfig.class.getClassLoader().getResourceAsStream(EvalConfig.DEFAULTS)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.matches("\\s*[a-z_0-9]+:\\s*[^\\s#].*") && !line.contains("#")) {
                    undocumented.add(line.strip());
                }
            }
        }
        assertEquals(List.of(), undocumented, "every key in " + EvalConfig.DEFAULTS + " needs a comment");
    }
}
