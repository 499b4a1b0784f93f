package dev.rlhf.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link Tokenizer} needs to know about a {@code tokenizer.json} beyond encoding: the token ids, the vocab size,
 * and the end-of-sequence and padding tokens named by a {@code tokenizer_config.json} next to it.
 *
 * <p>Reading the file here first also checks its shape, so a broken file gets a message that names it and the problem
 * rather than an error from native code.
 *
 * @param file the {@code tokenizer.json} read
 * @param tokenIds every token of the model vocab and the added tokens, by content
 * @param vocabSize the largest id plus one
 * @param eosToken the config's {@code eos_token}, if there is a config that names one
 * @param padToken the config's {@code pad_token}, if there is a config that names one
 * @param specialTokens the contents of the added tokens marked {@code special}
 */
record TokenizerMetadata(
        Path file,
        Map<String, Integer> tokenIds,
        int vocabSize,
        Optional<String> eosToken,
        Optional<String> padToken,
        Set<String> specialTokens) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and checks {@code tokenizer.json} and, if present, the {@code tokenizer_config.json} beside it. */
    static TokenizerMetadata read(Path file) {
        JsonNode root = readObject(file);
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw new TokenizerException(file + ": malformed tokenizer.json: missing the \"model\" object");
        }
        Map<String, Integer> ids = new HashMap<>();
        readVocab(file, model.get("vocab"), ids);
        Set<String> special = new HashSet<>();
        readAddedTokens(file, root.get("added_tokens"), ids, special);
        if (ids.isEmpty()) {
            throw new TokenizerException(file + ": malformed tokenizer.json: it defines no tokens");
        }
        int vocabSize = Collections.max(ids.values()) + 1;
        Path config = file.resolveSibling(TokenizerJsonWriter.TOKENIZER_CONFIG_JSON);
        JsonNode configRoot = Files.isRegularFile(config) ? readObject(config) : JSON.createObjectNode();
        return new TokenizerMetadata(
                file,
                Collections.unmodifiableMap(ids),
                vocabSize,
                tokenName(configRoot.get("eos_token")),
                tokenName(configRoot.get("pad_token")),
                Set.copyOf(special));
    }

    private static JsonNode readObject(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": file not found");
        } catch (JsonProcessingException e) {
            throw new TokenizerException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerException(file + ": expected a JSON object, got " + (root == null ? "nothing" : root));
        }
        return root;
    }

    /** BPE, WordPiece and WordLevel map token -> id; Unigram lists [token, score] pairs in id order. */
    private static void readVocab(Path file, JsonNode vocab, Map<String, Integer> ids) {
        if (vocab != null && vocab.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> entries = vocab.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                ids.put(entry.getKey(), id(file, entry.getValue(), "model.vocab entry '" + entry.getKey() + "'"));
            }
        } else if (vocab != null && vocab.isArray()) {
            for (int id = 0; id < vocab.size(); id++) {
                JsonNode token = vocab.get(id).path(0);
                if (!token.isTextual()) {
                    throw new TokenizerException(
                            file + ": malformed tokenizer.json: model.vocab[" + id + "] is not a [token, score] pair");
                }
                ids.putIfAbsent(token.asText(), id);
            }
        } else {
            throw new TokenizerException(file + ": malformed tokenizer.json: model has no \"vocab\"");
        }
    }

    private static void readAddedTokens(Path file, JsonNode added, Map<String, Integer> ids, Set<String> special) {
        if (added == null || added.isNull()) {
            return;
        }
        if (!added.isArray()) {
            throw new TokenizerException(file + ": malformed tokenizer.json: \"added_tokens\" is not an array");
        }
        for (JsonNode token : added) {
            JsonNode content = token.get("content");
            if (content == null || !content.isTextual()) {
                throw new TokenizerException(file + ": malformed tokenizer.json: an added token has no \"content\"");
            }
            ids.put(content.asText(), id(file, token.get("id"), "added token '" + content.asText() + "'"));
            if (token.path("special").asBoolean(false)) {
                special.add(content.asText());
            }
        }
    }

    private static int id(Path file, JsonNode node, String what) {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            throw new TokenizerException(
                    file + ": malformed tokenizer.json: " + what + " has no valid id (got " + node + ")");
        }
        return node.intValue();
    }

    /** A config names a token either as a string or as an added-token object with a "content" field. */
    private static Optional<String> tokenName(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        JsonNode content = node.isObject() ? node.get("content") : node;
        return content != null && content.isTextual() ? Optional.of(content.asText()) : Optional.empty();
    }
}
