package dev.rlhf.deploy.kustomize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads YAML files (one or several {@code ---} documents) into Jackson trees, naming the file on any error. */
public final class Yaml {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

    private Yaml() {}

    /** Every non-empty document of {@code file} (a document that is a list stays one list). */
    public static List<JsonNode> readAll(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = MAPPER.getFactory().createParser(file.toFile())) {
            while (parser.nextToken() != null) {
                JsonNode document = MAPPER.readTree(parser);
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new KustomizeException(file + ": not readable YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    /** The single document of {@code file}. */
    public static JsonNode readOne(Path file) {
        List<JsonNode> documents = readAll(file);
        if (documents.size() != 1) {
            throw new KustomizeException(file + ": expected one YAML document, found " + documents.size());
        }
        return documents.get(0);
    }

    /** Parses YAML text (a ConfigMap's embedded file, say). */
    public static JsonNode parse(String text) throws IOException {
        JsonNode node = MAPPER.readTree(text);
        return node == null ? MAPPER.createObjectNode() : node;
    }
}
