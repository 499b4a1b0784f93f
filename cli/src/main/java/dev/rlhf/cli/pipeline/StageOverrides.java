package dev.rlhf.cli.pipeline;

import dev.rlhf.core.config.KeyNames;
import dev.rlhf.core.config.RunHeader;
import dev.rlhf.core.ppo.PpoConfig;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --set} overrides of a pipeline run, split into the pipeline's own keys and keys of a stage's job. A stage
 * section holds only {@code configs} and {@code set}; any other key under it goes to that stage's job, after the
 * stage's own {@code set} list: {@code sft.train.lr=1e-3} is the SFT job's {@code train.lr}, {@code ppo.kl.coef=0.1}
 * the PPO job's {@code kl.coef}, and {@code ppo.algorithm=rloo}, not a top-level key of the PPO job, its PPO section's
 * {@code ppo.algorithm} (so {@code ./rlhf pipeline --configs arithmetic --set ppo.algorithm=rloo} compares
 * estimators).
 */
record StageOverrides(List<String> pipeline, Map<String, List<String>> stages) {

    private static final Set<String> STAGES = Set.of("pretrain", "sft", "rm", "ppo", "eval");
    private static final Set<String> STAGE_KEYS = Set.of("configs", "set");
    private static final Set<String> PPO_JOB_KEYS = topLevelKeys();

    /** The PPO job's top-level keys: its sections and the run header's keys. */
    private static Set<String> topLevelKeys() {
        Set<String> keys = new HashSet<>();
        for (RecordComponent c : PpoConfig.class.getRecordComponents()) {
            keys.add(KeyNames.snake(c.getName()));
        }
        for (RecordComponent c : RunHeader.class.getRecordComponents()) {
            keys.add(KeyNames.snake(c.getName()));
        }
        return Set.copyOf(keys);
    }

    static StageOverrides split(List<String> overrides) {
        List<String> pipeline = new ArrayList<>();
        Map<String, List<String>> stages = new LinkedHashMap<>();
        for (String override : overrides) {
            int dot = override.indexOf('.');
            int equals = override.indexOf('=');
            String stage = dot > 0 && (equals < 0 || dot < equals) ? override.substring(0, dot) : "";
            String key = stage.isEmpty() ? "" : override.substring(dot + 1, equals < 0 ? override.length() : equals);
            String firstKey = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (STAGES.contains(stage) && !STAGE_KEYS.contains(firstKey)) {
                stages.computeIfAbsent(stage, s -> new ArrayList<>())
                        .add(stageOverride(stage, override, dot, firstKey));
            } else {
                pipeline.add(override);
            }
        }
        return new StageOverrides(List.copyOf(pipeline), Map.copyOf(stages));
    }

    /** The override as the stage's job takes it (see the class comment). */
    private static String stageOverride(String stage, String override, int dot, String firstKey) {
        return stage.equals("ppo") && !PPO_JOB_KEYS.contains(firstKey) ? override : override.substring(dot + 1);
    }

    /** A stage's extra overrides, applied after its own {@code set} list. */
    List<String> forStage(String stage) {
        return stages.getOrDefault(stage, List.of());
    }
}
