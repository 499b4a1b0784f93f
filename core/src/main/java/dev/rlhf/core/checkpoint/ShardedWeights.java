package dev.rlhf.core.checkpoint;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a model's tensors the way transformers' {@code save_pretrained} does: one {@code model.safetensors} when they
 * fit in one shard, else {@code model-00001-of-0000M.safetensors} ... and {@code model.safetensors.index.json}
 * ({@code {"metadata": {"total_size": bytes}, "weight_map": {tensor: file}}}, keys sorted).
 *
 * <p>Shards are filled in parameter order, as huggingface_hub's {@code split_torch_state_dict_into_shards} does: a
 * tensor that would overflow the current shard starts the next one; a tensor larger than the limit gets a shard of
 * its own at once, ahead of the shard still being filled (huggingface_hub numbers them in that order too).
 */
final class ShardedWeights {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardedWeights() {}

    /** Writes {@code tensors} (in the order given) into {@code dir}; returns the files written. */
    static List<Path> write(Path dir, Map<String, NDArray> tensors, SaveOptions options) throws IOException {
        List<Map<String, NDArray>> shards = split(tensors, options);
        if (shards.size() == 1) {
            Path file = dir.resolve(HfCheckpoint.WEIGHTS);
            SafetensorsWriter.write(file, shards.get(0), Map.of(), options.dtype());
            return List.of(file);
        }
        Map<String, String> weightMap = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(name), shards.get(i), Map.of(), options.dtype());
            shards.get(i).keySet().forEach(tensor -> weightMap.put(tensor, name));
            files.add(dir.resolve(name));
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", totalBytes(tensors, options));
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Files.writeString(
                dir.resolve(HfCheckpoint.WEIGHTS_INDEX),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
        return files;
    }

    /** The shards, each a run of consecutive tensors of at most {@code maxShardBytes} unless one tensor is larger. */
    static List<Map<String, NDArray>> split(Map<String, NDArray> tensors, SaveOptions options) {
        List<Map<String, NDArray>> shards = new ArrayList<>();
        Map<String, NDArray> current = new LinkedHashMap<>();
        long used = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            long bytes = bytes(e.getValue(), options);
            if (bytes > options.maxShardBytes()) {
                shards.add(Map.of(e.getKey(), e.getValue()));
                continue;
            }
            if (used + bytes > options.maxShardBytes() && !current.isEmpty()) {
                shards.add(current);
                current = new LinkedHashMap<>();
                used = 0;
            }
            current.put(e.getKey(), e.getValue());
            used += bytes;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    private static long totalBytes(Map<String, NDArray> tensors, SaveOptions options) {
        return tensors.values().stream().mapToLong(t -> bytes(t, options)).sum();
    }

    private static long bytes(NDArray tensor, SaveOptions options) {
        return tensor.size() * options.dtype().byteSize();
    }
}
