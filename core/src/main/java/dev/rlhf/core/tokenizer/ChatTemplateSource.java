package dev.rlhf.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a model's chat template is found, as transformers looks for it: a {@code chat_template.jinja} file beside
 * {@code tokenizer.json} first, else the {@code chat_template} of {@code tokenizer_config.json} (a string, or a list of
 * named templates of which {@code default} is taken). The config's special tokens become template variables
 * ({@code bos_token}, {@code eos_token}, ..., {@code additional_special_tokens}).
 *
 * @param text the Jinja source
 * @param origin the file (and key) it came from, for messages
 * @param specialTokens the special-token variables, by name
 */
record ChatTemplateSource(String text, String origin, Map<String, Object> specialTokens) {
    static final String JINJA_FILE = "chat_template.jinja";
    private static final List<String> TOKEN_KEYS =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The template beside {@code tokenizerJson}, if there is one.
     *
     * @throws ChatTemplateException naming the file when a template file or config cannot be read
     */
    static Optional<ChatTemplateSource> find(Path tokenizerJson) {
        Path config = tokenizerJson.resolveSibling(TokenizerJsonWriter.TOKENIZER_CONFIG_JSON);
        JsonNode root = Files.isRegularFile(config) ? readConfig(config) : JSON.createObjectNode();
        Map<String, Object> tokens = specialTokens(root);
        Path jinja = tokenizerJson.resolveSibling(JINJA_FILE);
        if (Files.isRegularFile(jinja)) {
            return Optional.of(new ChatTemplateSource(read(jinja), jinja.toString(), tokens));
        }
        JsonNode template = root.get("chat_template");
        if (template != null && template.isArray()) {
            template = named(template, "default");
        }
        if (template == null || !template.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new ChatTemplateSource(template.asText(), config + " (chat_template)", tokens));
    }

    private static JsonNode named(JsonNode templates, String name) {
        for (JsonNode entry : templates) {
            if (name.equals(entry.path("name").asText())) {
                return entry.get("template");
            }
        }
        return null;
    }

    /** The special-token variables of a {@code tokenizer_config.json}. */
    static Map<String, Object> specialTokens(JsonNode config) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (String key : TOKEN_KEYS) {
            tokenName(config.get(key)).ifPresent(token -> tokens.put(key, token));
        }
        JsonNode extra = config.get("additional_special_tokens");
        if (extra != null && extra.isArray()) {
            List<String> names = new ArrayList<>();
            extra.forEach(node -> tokenName(node).ifPresent(names::add));
            tokens.put("additional_special_tokens", names);
        }
        return tokens;
    }

    private static Optional<String> tokenName(JsonNode node) {
        JsonNode content = node != null && node.isObject() ? node.get("content") : node;
        return content != null && content.isTextual() ? Optional.of(content.asText()) : Optional.empty();
    }

    private static JsonNode readConfig(Path config) {
        try {
            JsonNode root = JSON.readTree(read(config));
            if (root == null || !root.isObject()) {
                throw new ChatTemplateException(config + ": expected a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new ChatTemplateException(
                    config + ": not valid JSON: " + e.getMessage().replace('\n', ' '));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ChatTemplateException(file + ": cannot read: " + e.getMessage());
        }
    }
}
