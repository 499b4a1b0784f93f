package dev.rlhf.core.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a {@link BpeModel} as Hugging Face files: {@code tokenizer.json}, which the Rust tokenizers library (and so
 * DJL and transformers) loads, and {@code tokenizer_config.json}, which tells transformers the special tokens, the
 * maximum length and the {@link ChatTemplate}.
 *
 * <p>The settings are GPT-2's: a byte-level pre-tokenizer with its regex and no prefix space, a byte-level decoder, and
 * a BPE model without unknown token or dropout. Files are written to a temporary file and renamed, so a reader never
 * sees half a file.
 */
public final class TokenizerJsonWriter {
    /** The {@code model_max_length} written when none is given. */
    public static final int DEFAULT_MODEL_MAX_LENGTH = 2048;

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerJsonWriter() {}

    /** Writes both files into {@code dir}, created if missing, with the default maximum length. */
    public static void write(BpeModel model, Path dir) {
        write(model, dir, DEFAULT_MODEL_MAX_LENGTH);
    }

    /** Writes both files into {@code dir}, created if missing. */
    public static void write(BpeModel model, Path dir, int modelMaxLength) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TokenizerException(dir + ": cannot create the directory: " + e, e);
        }
        writeJson(dir.resolve(TOKENIZER_JSON), tokenizerJson(model));
        writeJson(dir.resolve(TOKENIZER_CONFIG_JSON), tokenizerConfig(modelMaxLength));
    }

    /** The content of {@code tokenizer.json}. */
    public static ObjectNode tokenizerJson(BpeModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String token : SpecialTokens.ALL) {
            ObjectNode entry = added.addObject();
            entry.put("id", SpecialTokens.id(token));
            entry.put("content", token);
            entry.put("single_word", false);
            entry.put("lstrip", false);
            entry.put("rstrip", false);
            entry.put("normalized", false);
            entry.put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false, true));
        root.set("post_processor", byteLevel(true, false));
        root.set("decoder", byteLevel(true, true));
        root.set("model", bpeModel(model));
        return root;
    }

    /** The content of {@code tokenizer_config.json}. */
    public static ObjectNode tokenizerConfig(int modelMaxLength) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.put("bos_token", SpecialTokens.END_OF_TEXT);
        root.put("eos_token", SpecialTokens.END_OF_TEXT);
        root.put("pad_token", SpecialTokens.PAD);
        root.putNull("unk_token");
        ArrayNode extra = root.putArray("additional_special_tokens");
        SpecialTokens.ALL.stream().skip(2).forEach(extra::add);
        root.put("model_max_length", modelMaxLength);
        root.put("clean_up_tokenization_spaces", false);
        root.put("chat_template", ChatTemplate.JINJA);
        return root;
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", addPrefixSpace);
        node.put("trim_offsets", trimOffsets);
        node.put("use_regex", true);
        return node;
    }

    private static ObjectNode bpeModel(BpeModel model) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "BPE");
        node.putNull("dropout");
        node.putNull("unk_token");
        node.putNull("continuing_subword_prefix");
        node.putNull("end_of_word_suffix");
        node.put("fuse_unk", false);
        node.put("byte_fallback", false);
        node.put("ignore_merges", false);
        ObjectNode vocab = node.putObject("vocab");
        for (int id = 0; id < model.vocab().size(); id++) {
            vocab.put(model.vocab().get(id), id);
        }
        ArrayNode merges = node.putArray("merges");
        model.merges().forEach(merge -> merges.add(model.mergeString(merge)));
        return node;
    }

    private static void writeJson(Path file, ObjectNode content) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content);
            Files.write(temp, bytes);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new TokenizerException(file + ": cannot write: " + e, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the write error is the one to report
        }
    }
}
