package dev.rlhf.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a run stands, saved with every checkpoint as {@code training_state.json} so a killed job resumes with the same
 * epoch, step, best metric, schedule position and data order. The optimizer's moments go beside it in
 * {@code optimizer.safetensors}.
 *
 * @param step optimizer steps taken (the schedule's position)
 * @param epoch the epoch in progress
 * @param batchInEpoch batches of that epoch already consumed
 * @param best the best selection metric so far (NaN before the first evaluation)
 * @param tokens tokens (or pairs) trained on so far
 * @param elapsedSeconds training time so far, across resumes
 * @param seed the seed of data order and initialisation
 */
public record TrainingState(
        long step, int epoch, int batchInEpoch, double best, long tokens, double elapsedSeconds, long seed) {

    public static final String FILE = "training_state.json";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static TrainingState start(long seed) {
        return new TrainingState(0, 0, 0, Double.NaN, 0, 0, seed);
    }

    public TrainingState afterStep(int epochNow, int batchNow, long addedTokens, double addedSeconds) {
        return new TrainingState(
                step + 1, epochNow, batchNow, best, tokens + addedTokens, elapsedSeconds + addedSeconds, seed);
    }

    public TrainingState nextEpoch() {
        return new TrainingState(step, epoch + 1, 0, best, tokens, elapsedSeconds, seed);
    }

    public TrainingState withBest(double value) {
        return new TrainingState(step, epoch, batchInEpoch, value, tokens, elapsedSeconds, seed);
    }

    /** Writes {@code training_state.json}, with the resolved config alongside for the record. */
    public void write(Path dir, JsonNode resolvedConfig) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("step", step);
        node.put("epoch", epoch);
        node.put("batch_in_epoch", batchInEpoch);
        if (Double.isNaN(best)) {
            node.putNull("best_metric");
        } else {
            node.put("best_metric", best);
        }
        node.put("tokens", tokens);
        node.put("elapsed_s", elapsedSeconds);
        node.put("seed", seed);
        node.put("optimizer_state", OPTIMIZER_FILE);
        node.set("config", resolvedConfig);
        Files.writeString(
                dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    public static TrainingState read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            return new TrainingState(
                    required(node, "step", file).asLong(),
                    required(node, "epoch", file).asInt(),
                    required(node, "batch_in_epoch", file).asInt(),
                    node.path("best_metric").isNumber()
                            ? node.get("best_metric").asDouble()
                            : Double.NaN,
                    node.path("tokens").asLong(),
                    node.path("elapsed_s").asDouble(),
                    required(node, "seed", file).asLong());
        } catch (NoSuchFileException e) {
            throw CheckpointException.at(file, "missing: the checkpoint has no training state to resume from");
        } catch (IOException e) {
            throw CheckpointException.io(file, "read", e);
        }
    }

    private static JsonNode required(JsonNode node, String field, Path file) {
        if (!node.hasNonNull(field)) {
            throw CheckpointException.at(file, "missing field '" + field + "'");
        }
        return node.get(field);
    }
}
