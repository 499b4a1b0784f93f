package dev.rlhf.core.checkpoint;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rlhf.core.model.NoGrad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies the tensors of a Hugging Face checkpoint into the parameters of a model built from its config, checking that
 * every parameter is present once, with the shape the config implies, and that nothing unknown is left over.
 */
final class WeightLoader {

    private final Path dir;
    private final Map<String, Parameter> parameters;
    private final boolean tied;

    WeightLoader(Path dir, Map<String, Parameter> parameters, boolean tied) {
        this.dir = dir;
        this.parameters = parameters;
        this.tied = tied;
    }

    void load() {
        try (NoGrad noGrad = NoGrad.open()) {
            copyAll();
        }
    }

    private void copyAll() {
        Set<String> loaded = new HashSet<>();
        for (Path file : weightFiles()) {
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                for (TensorInfo tensor : reader.tensors().values()) {
                    if (copy(reader, tensor)) {
                        loaded.add(tensor.name());
                    }
                }
            }
        }
        Set<String> missing = new TreeSet<>(parameters.keySet());
        missing.removeAll(loaded);
        if (!missing.isEmpty()) {
            throw CheckpointException.at(
                    dir,
                    "missing tensors " + missing.stream().limit(5).toList()
                            + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : ""));
        }
    }

    /** Copies one tensor into its parameter; false for tensors a checkpoint may carry that we do not use. */
    private boolean copy(SafetensorsReader reader, TensorInfo tensor) {
        Parameter parameter = parameters.get(tensor.name());
        if (parameter == null) {
            if (ignorable(tensor.name())) {
                return false;
            }
            throw CheckpointException.at(
                    reader.file(),
                    "unexpected tensor '" + tensor.name() + "' (not a parameter of " + "the architecture in "
                            + HfCheckpoint.CONFIG + ")");
        }
        Shape expected = parameter.getShape();
        if (!Arrays.equals(expected.getShape(), tensor.shape())) {
            throw CheckpointException.at(
                    reader.file(),
                    "tensor '" + tensor.name() + "' has shape "
                            + Arrays.toString(tensor.shape()) + " but " + HfCheckpoint.CONFIG + " implies "
                            + Arrays.toString(expected.getShape()));
        }
        reader.copyInto(tensor.name(), parameter.getArray());
        return true;
    }

    /** Rotary inverse frequencies are recomputed, and a tied head may still be stored by some exporters. */
    private boolean ignorable(String name) {
        return name.endsWith("rotary_emb.inv_freq") || (tied && name.equals("lm_head.weight"));
    }

    private Set<Path> weightFiles() {
        Path single = dir.resolve(HfCheckpoint.WEIGHTS);
        Path index = dir.resolve(HfCheckpoint.WEIGHTS_INDEX);
        if (Files.isRegularFile(single)) {
            return Set.of(single);
        }
        if (!Files.isRegularFile(index)) {
            throw CheckpointException.at(dir, "no " + HfCheckpoint.WEIGHTS + " or " + HfCheckpoint.WEIGHTS_INDEX);
        }
        try {
            JsonNode map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
            if (!map.isObject() || map.isEmpty()) {
                throw CheckpointException.at(index, "no 'weight_map' object");
            }
            Set<Path> files = new LinkedHashSet<>();
            map.forEach(shard -> files.add(dir.resolve(shard.asText())));
            return files;
        } catch (IOException e) {
            throw CheckpointException.io(index, "read", e);
        }
    }
}
