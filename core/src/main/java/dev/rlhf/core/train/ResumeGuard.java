package dev.rlhf.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.config.ConfigWriter;
import dev.rlhf.core.config.ResumePolicy;
import dev.rlhf.core.runs.RunConflictException;
import dev.rlhf.core.runs.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Refuses to continue a checkpoint under a config it was not trained with. The run directory is named from {@code exp}
 * and the config names only, so a changed {@code --set train.lr=...} or edited dataset would otherwise resume the old
 * run's weights, optimizer and step and mix two runs into one. Every resolved key is compared with the {@code config}
 * saved in the checkpoint's {@code training_state.json}, except {@link #NON_TRAINING_KEYS}: keys that cannot change the
 * weights a run ends with.
 */
public final class ResumeGuard {

    /**
     * Keys (and whole sections) that may change between a run and its resumption: labels, where and how the run is
     * named, how it is resumed, and how often it logs, evaluates and saves or which samples it writes; for PPO, which
     * processes a JVM runs, the Kafka setup and where (and how patiently) the scoring server is called. Everything else
     * (model, data, seq_len, mode, packing, the optimizer, the schedule, the seed, ...) changes training.
     */
    public static final Set<String> NON_TRAINING_KEYS = Set.of(
            "tags",
            "resume",
            "debug",
            "output_dir",
            "project",
            "exp",
            "samples",
            "train.eval_every",
            "train.save_every",
            "train.log_every",
            "role",
            "kafka",
            "scoring.endpoint",
            "scoring.deadline_ms",
            "scoring.attempts");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResumeGuard() {}

    /**
     * Throws when the checkpoint the policy would continue from was trained under a config that differs from
     * {@code config} in a training key; {@code force} and {@code never} pass, as does a run with no checkpoint yet.
     *
     * @throws RunConflictException naming the run directory and the differing keys
     */
    public static void check(ResumePolicy policy, RunDirectory run, Record config) {
        check(policy, run, config, TrainingState.FILE);
    }

    /**
     * As {@link #check(ResumePolicy, RunDirectory, Record)}, for a job whose checkpoints keep their config (under the
     * key {@code config}) in {@code stateFile} (PPO: {@code ppo_state.json}).
     */
    public static void check(ResumePolicy policy, RunDirectory run, Record config, String stateFile) {
        if (policy instanceof ResumePolicy.Force || policy instanceof ResumePolicy.Never) {
            return;
        }
        Path checkpoint = policy instanceof ResumePolicy.FromPath from ? from.checkpoint() : run.lastCheckpoint();
        Optional<JsonNode> saved = savedConfig(checkpoint.resolve(stateFile));
        if (saved.isEmpty()) {
            return;
        }
        List<String> differing = differingKeys(saved.get(), JSON.valueToTree(ConfigWriter.toTree(config)));
        if (!differing.isEmpty()) {
            throw new RunConflictException(run.path() + ": the checkpoint " + checkpoint
                    + " was trained under a different config (" + String.join(", ", differing)
                    + "); use a new exp for a new run, resume: force to continue anyway, or resume: never to start"
                    + " this run over");
        }
    }

    /** Training keys whose values differ, as dotted paths ({@code train.lr}); lists compare whole. */
    static List<String> differingKeys(JsonNode saved, JsonNode now) {
        Map<String, JsonNode> before = flatten(saved);
        Map<String, JsonNode> after = flatten(now);
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<String> differing = new ArrayList<>();
        for (String key : keys) {
            if (!nonTraining(key) && !same(before.get(key), after.get(key))) {
                differing.add(key + ": " + shown(before.get(key)) + " -> " + shown(after.get(key)));
            }
        }
        return differing;
    }

    private static boolean nonTraining(String key) {
        return NON_TRAINING_KEYS.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + "."));
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b || (a == null ? b.isNull() : a.isNull());
        }
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        return a.equals(b);
    }

    private static String shown(JsonNode value) {
        return value == null ? "(absent)" : value.toString();
    }

    private static Map<String, JsonNode> flatten(JsonNode node) {
        Map<String, JsonNode> out = new TreeMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (!node.isObject()) {
            out.put(prefix, node);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
        }
    }

    private static Optional<JsonNode> savedConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode config = JSON.readTree(Files.readString(file)).get("config");
            return Optional.ofNullable(config).filter(JsonNode::isObject);
        } catch (IOException e) {
            throw new RunConflictException(file + ": cannot read the checkpoint's training state: " + e.getMessage());
        }
    }
}
