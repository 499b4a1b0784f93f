package dev.rlhf.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.rm.RmConfig;
import dev.rlhf.core.sft.SftConfig;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each job config lists every path-valued key, keyed as written in YAML: the keys each config is expected to list, and
 * the same set found by a second, independent walk over the record types.
 */
class PathValuedConfigTest {

    private static final String DATA = "data:\n  datasets:\n    - path: d0.jsonl\n    - path: d1.jsonl\n";
    private static final String COMMON = "output_dir: out\nresume: ckpt/last\n";

    @Test
    void sftListsTheModelTokenizerDatasetsOutputAndResumeCheckpoint() {
        Map<String, Path> fromDirectory = keyed(bind(
                SftConfig.loader(), SftConfig.class, "model: {path: m, tokenizer: t, adapter: a}\n" + DATA + COMMON));
        Map<String, Path> fromInit =
                keyed(bind(SftConfig.loader(), SftConfig.class, "model: {init: i.json, tokenizer: t}\n" + DATA));
        assertEquals(
                Map.of(
                        "model.path", Path.of("m"),
                        "model.tokenizer", Path.of("t"),
                        "model.adapter", Path.of("a"),
                        "data.datasets[0].path", Path.of("d0.jsonl"),
                        "data.datasets[1].path", Path.of("d1.jsonl"),
                        "output_dir", Path.of("out"),
                        "resume", Path.of("ckpt/last")),
                fromDirectory);
        assertEquals(Path.of("i.json"), fromInit.get("model.init"));
        assertEquals(Path.of("runs"), fromInit.get("output_dir"), "the default output_dir is listed too");
        assertEquals(pathKeys(SftConfig.class), union(fromDirectory, fromInit));
    }

    @Test
    void rmListsTheSameKeysAsSft() {
        Map<String, Path> fromDirectory = keyed(bind(
                RmConfig.loader(), RmConfig.class, "model: {path: m, tokenizer: t, adapter: a}\n" + DATA + COMMON));
        Map<String, Path> fromInit =
                keyed(bind(RmConfig.loader(), RmConfig.class, "model: {init: i.json, tokenizer: t}\n" + DATA));
        assertEquals(Path.of("d1.jsonl"), fromDirectory.get("data.datasets[1].path"));
        assertEquals(Path.of("a"), fromDirectory.get("model.adapter"));
        assertEquals(pathKeys(RmConfig.class), union(fromDirectory, fromInit));
    }

    @Test
    void ppoListsPolicyItsAdapterRewardModelPromptsOutputAndResumeCheckpoint() {
        Map<String, Path> paths = keyed(bind(
                PpoConfig.loader(),
                PpoConfig.class,
                "policy: {path: sft, adapter: sft-lora, reward_model: rm}\nprompts: {path: p.jsonl}\n" + COMMON));
        assertEquals(
                Map.of(
                        "policy.path", Path.of("sft"),
                        "policy.adapter", Path.of("sft-lora"),
                        "policy.reward_model", Path.of("rm"),
                        "prompts.path", Path.of("p.jsonl"),
                        "output_dir", Path.of("out"),
                        "resume", Path.of("ckpt/last")),
                paths);
        assertEquals(
                pathKeys(PpoConfig.class),
                paths.keySet().stream()
                        .map(k -> k.replaceAll("\\[\\d+]", "[]"))
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void unsetPathKeysAreLeftOut() {
        Map<String, Path> paths =
                keyed(bind(SftConfig.loader(), SftConfig.class, "model: {path: m}\n" + DATA + "resume: never\n"));
        assertEquals(
                new TreeSet<>(List.of("data.datasets[0].path", "data.datasets[1].path", "model.path", "output_dir")),
                paths.keySet());
    }

    private static <T extends Record & PathValuedConfig> T bind(ConfigLoader loader, Class<T> type, String body) {
        return loader.compose(List.of(), List.of(), body, "body", List.of()).bind(type);
    }

    private static Map<String, Path> keyed(PathValuedConfig config) {
        Map<String, Path> keyed = new TreeMap<>();
        config.paths().forEach(p -> keyed.put(p.key(), p.path()));
        return keyed;
    }

    private static TreeSet<String> union(Map<String, Path> a, Map<String, Path> b) {
        TreeSet<String> keys = new TreeSet<>();
        a.keySet().forEach(k -> keys.add(k.replaceAll("\\[\\d+]", "[]")));
        b.keySet().forEach(k -> keys.add(k.replaceAll("\\[\\d+]", "[]")));
        return keys;
    }

    /** Every key of a config record whose value is a path (or a {@code resume} policy, which may be one). */
    private static TreeSet<String> pathKeys(Class<?> recordType) {
        TreeSet<String> keys = new TreeSet<>();
        collect(recordType, "", keys);
        return keys;
    }

    private static void collect(Class<?> recordType, String section, TreeSet<String> keys) {
        for (RecordComponent component : recordType.getRecordComponents()) {
            if (component.isAnnotationPresent(Unwrapped.class)) {
                collect(component.getType(), section, keys);
                continue;
            }
            String key = KeyNames.join(section, KeyNames.snake(component.getName()));
            Type type = unwrap(component.getGenericType(), Optional.class);
            if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
                type = list.getActualTypeArguments()[0];
                key += "[]";
            }
            if (type == Path.class || type == ResumePolicy.class) {
                keys.add(key);
            } else if (type instanceof Class<?> c && c.isRecord()) {
                collect(c, key, keys);
            }
        }
    }

    private static Type unwrap(Type type, Class<?> wrapper) {
        return type instanceof ParameterizedType p && p.getRawType() == wrapper ? p.getActualTypeArguments()[0] : type;
    }
}
