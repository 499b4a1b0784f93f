package dev.rlhf.rl.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where the learner stands, saved as {@code learner_state.json} in every checkpoint beside the trainer's own state
 * ({@link dev.rlhf.core.ppo.PpoTrainer}): the next iteration, the policy version, the best mean reward, and the (iteration, index) of every rollout trained on so far
 * (what makes a resumed learner neither lose nor double-count experience).
 */
public record LearnerState(long iteration, long version, double bestReward, Set<String> trained) {

    public static final String FILE = "learner_state.json";

    public static LearnerState start() {
        return new LearnerState(0, 0, Double.NEGATIVE_INFINITY, Set.of());
    }

    public static String key(long iteration, int index) {
        return iteration + ":" + index;
    }

    public LearnerState next(double reward, Set<String> newlyTrained) {
        Set<String> all = new LinkedHashSet<>(trained);
        all.addAll(newlyTrained);
        return new LearnerState(iteration + 1, version + 1, Math.max(bestReward, reward), Set.copyOf(all));
    }

    public void write(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = json.createObjectNode();
        node.put("iteration", iteration);
        node.put("version", version);
        node.put("best_reward", Double.isFinite(bestReward) ? bestReward : -1e30);
        ArrayNode keys = node.putArray("trained");
        trained.stream().sorted().forEach(keys::add);
        Files.writeString(
                dir.resolve(FILE), json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    public static LearnerState read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile());
            Set<String> trained = new LinkedHashSet<>();
            node.path("trained").forEach(k -> trained.add(k.asText()));
            return new LearnerState(
                    node.get("iteration").asLong(),
                    node.get("version").asLong(),
                    node.get("best_reward").asDouble(),
                    Set.copyOf(trained));
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": not a learner state: " + e.getMessage(), e);
        }
    }
}
