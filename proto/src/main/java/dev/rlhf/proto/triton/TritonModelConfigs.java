package dev.rlhf.proto.triton;

import com.google.protobuf.TextFormat;
import dev.rlhf.proto.inference.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes Triton's {@code config.pbtxt}: a {@link ModelConfig} in protobuf text format, which is what Triton
 * itself parses when it loads a model repository.
 *
 * <p>Parsing is strict: a field this schema does not know (one Triton added after the upstream commit {@code
 * model_config.proto} was compared with, see proto/README.md, or a misspelt one) is an error naming the field and its
 * line, never silently dropped.
 */
public final class TritonModelConfigs {
    /** The file name Triton looks for in each model directory. */
    public static final String FILE_NAME = "config.pbtxt";

    private TritonModelConfigs() {}

    /** The text form, one field per line, nested messages indented: what Triton and humans read. */
    public static String toPbtxt(ModelConfig config) {
        return TextFormat.printer().printToString(config);
    }

    /**
     * Parses text-format {@code text}; {@code sourceName} (normally the file) names where it came from in errors.
     *
     * @throws ModelConfigParseException with source, line and column when the text is malformed
     */
    public static ModelConfig parsePbtxt(String text, String sourceName) {
        ModelConfig.Builder builder = ModelConfig.newBuilder();
        try {
            TextFormat.getParser().merge(text, builder);
        } catch (TextFormat.ParseException e) {
            throw new ModelConfigParseException(
                    sourceName, e.getLine(), e.getColumn(), withoutPosition(e.getMessage(), e), e);
        }
        return builder.build();
    }

    /** Writes {@code config} to {@code file} through a temporary sibling, so Triton never sees a half-written file. */
    public static void write(ModelConfig config, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, toPbtxt(config), StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Reads and parses {@code file}; parse errors name the file. */
    public static ModelConfig read(Path file) throws IOException {
        return parsePbtxt(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** TextFormat prefixes its messages with {@code "line:column: "}; the exception carries them separately. */
    private static String withoutPosition(String message, TextFormat.ParseException e) {
        String prefix = e.getLine() + ":" + e.getColumn() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
