package dev.rlhf.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.runs.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The spread of a reward model's rewards, stored beside its weights as {@code reward_stats.json}
 * ({@code {"mean": .., "std": .., "count": ..}}) so that PPO can whiten rewards as {@code (r - mean) / std}. The RM
 * trainer computes it after training over the preferred reply of each training prompt, for each of
 * {@code checkpoints/best} and {@code checkpoints/last} with that checkpoint's own weights.
 *
 * @param mean the mean reward
 * @param std the population standard deviation of the rewards
 * @param count how many rewards were averaged
 */
public record RewardStats(double mean, double std, long count) {
    public static final String FILE = "reward_stats.json";

    /** Below this spread, normalising divides by it instead, so that constant rewards do not blow up. */
    private static final double MIN_STD = 1e-6;

    private static final ObjectMapper JSON = new ObjectMapper();

    public RewardStats {
        if (!(std >= 0) || count < 0 || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("reward stats need a finite mean, std >= 0 and count >= 0, got " + mean
                    + ", " + std + ", " + count);
        }
    }

    /** Mean and population standard deviation of {@code rewards} (two passes, in double precision). */
    public static RewardStats of(float[] rewards) {
        if (rewards.length == 0) {
            throw new IllegalArgumentException("no rewards to take statistics of");
        }
        double sum = 0;
        for (float r : rewards) {
            sum += r;
        }
        double mean = sum / rewards.length;
        double squares = 0;
        for (float r : rewards) {
            squares += (r - mean) * (r - mean);
        }
        return new RewardStats(mean, Math.sqrt(squares / rewards.length), rewards.length);
    }

    /** {@code (reward - mean) / std}. */
    public double normalise(double reward) {
        return (reward - mean) / divisor();
    }

    /** What {@link #normalise} divides by: {@code std}, or a small floor when the rewards were (nearly) constant. */
    public double divisor() {
        return Math.max(std, MIN_STD);
    }

    /** Writes {@code dir/reward_stats.json}, replacing it atomically. */
    public void write(Path dir) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mean", mean);
        node.put("std", std);
        node.put("count", count);
        try {
            AtomicFile.write(
                    dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw CheckpointException.io(dir.resolve(FILE), "write", e);
        }
    }

    /** The stats stored in a reward-model directory, or empty when it has none. */
    public static Optional<RewardStats> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            return Optional.of(new RewardStats(
                    number(node, "mean", file), number(node, "std", file), (long) number(node, "count", file)));
        } catch (IOException e) {
            throw CheckpointException.io(file, "read", e);
        } catch (IllegalArgumentException e) {
            throw CheckpointException.at(file, e.getMessage());
        }
    }

    private static double number(JsonNode node, String field, Path file) {
        if (!node.path(field).isNumber()) {
            throw CheckpointException.at(file, "field '" + field + "' must be a number");
        }
        return node.get(field).asDouble();
    }
}
