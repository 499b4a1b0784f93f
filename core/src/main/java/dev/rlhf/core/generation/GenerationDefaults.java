package dev.rlhf.core.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.model.LlamaConfig;
import dev.rlhf.core.model.ModelConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code generation_config.json} beside a model: its special ids and the sampling it was published with, used
 * as defaults by generation; settings the user gives explicitly win (see {@link #temperatureOr} and friends).
 *
 * <p>As in transformers, {@code do_sample: false} (its default) means greedy whatever the temperature, and with
 * {@code do_sample: true} an absent {@code temperature}, {@code top_k} or {@code top_p} is 1.0, 50 or 1.0.
 *
 * @param eosTokenIds {@code eos_token_id}, an int or a list (Llama 3 Instruct stops on three ids); empty when absent
 * @param padTokenId {@code pad_token_id}; generation masks its left padding, so the id never changes an output
 * @param bosTokenId {@code bos_token_id}
 */
public record GenerationDefaults(
        List<Long> eosTokenIds,
        OptionalLong padTokenId,
        OptionalLong bosTokenId,
        boolean doSample,
        double temperature,
        int topK,
        double topP) {

    public static final String FILE = "generation_config.json";

    /** transformers' {@code GenerationConfig()} defaults: greedy, no special ids. */
    public static final GenerationDefaults NONE =
            new GenerationDefaults(List.of(), OptionalLong.empty(), OptionalLong.empty(), false, 1.0, 50, 1.0);

    private static final ObjectMapper JSON = new ObjectMapper();

    public GenerationDefaults {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** What a model saved by this suite declares: its config's BOS and EOS, greedy decoding. */
    public static GenerationDefaults of(LlamaConfig config) {
        return new GenerationDefaults(
                List.of((long) config.eosTokenId()),
                OptionalLong.empty(),
                OptionalLong.of(config.bosTokenId()),
                false,
                1.0,
                50,
                1.0);
    }

    /** {@code dir/generation_config.json}, or {@link #NONE} when there is none; errors name the file and key. */
    public static GenerationDefaults read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new ModelConfigException(file + ": expected a JSON object");
            }
            return new GenerationDefaults(
                    ids(root, "eos_token_id", file),
                    optionalId(root, "pad_token_id", file),
                    optionalId(root, "bos_token_id", file),
                    root.path("do_sample").asBoolean(false),
                    number(root, "temperature", NONE.temperature, file),
                    (int) number(root, "top_k", NONE.topK, file),
                    number(root, "top_p", NONE.topP, file));
        } catch (IOException e) {
            throw new ModelConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The explicit temperature, else this file's: 0 (greedy) unless {@code do_sample}. */
    public double temperatureOr(Double explicit) {
        return explicit != null ? explicit : doSample ? temperature : 0;
    }

    /** The explicit top-k, else this file's when sampling, else 0 (keep all). */
    public int topKOr(Integer explicit) {
        return explicit != null ? explicit : doSample ? topK : 0;
    }

    /** The explicit top-p, else this file's when sampling, else 1 (keep all). */
    public double topPOr(Double explicit) {
        return explicit != null ? explicit : doSample ? topP : 1;
    }

    /** {@code extra} and every {@code eos_token_id}. */
    public Set<Long> stopTokenIds(Set<Long> extra) {
        Set<Long> out = new LinkedHashSet<>(extra);
        out.addAll(eosTokenIds);
        return out;
    }

    /** The file transformers' {@code GenerationConfig.from_pretrained} reads back as these defaults. */
    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        bosTokenId.ifPresent(id -> node.put("bos_token_id", id));
        if (eosTokenIds.size() == 1) {
            node.put("eos_token_id", eosTokenIds.get(0));
        } else if (!eosTokenIds.isEmpty()) {
            ArrayNode ids = node.putArray("eos_token_id");
            eosTokenIds.forEach(ids::add);
        }
        padTokenId.ifPresent(id -> node.put("pad_token_id", id));
        node.put("do_sample", doSample);
        if (doSample) {
            node.put("temperature", temperature);
            node.put("top_k", topK);
            node.put("top_p", topP);
        }
        return node;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
    }

    private static List<Long> ids(JsonNode root, String key, Path file) {
        JsonNode node = root.get(key);
        List<Long> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        for (JsonNode id : node.isArray() ? node : List.of(node)) {
            if (!id.isIntegralNumber()) {
                throw new ModelConfigException(
                        file + ": " + key + " must be an integer or a list of them, got " + node);
            }
            out.add(id.longValue());
        }
        return out;
    }

    private static OptionalLong optionalId(JsonNode root, String key, Path file) {
        List<Long> ids = ids(root, key, file);
        return ids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ids.get(0));
    }

    private static double number(JsonNode root, String key, double fallback, Path file) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new ModelConfigException(file + ": " + key + " must be a number, got " + node);
        }
        return node.doubleValue();
    }
}
