package dev.rlhf.cli.pipeline;

import dev.rlhf.core.config.DatasetConfig;
import dev.rlhf.core.data.DataFormat;
import dev.rlhf.core.data.DatasetReader;
import dev.rlhf.core.tokenizer.ChatMessage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The text a pipeline's tokenizer learns from, as one plain-text file: text files as they are, chat and HH data as the
 * texts of their messages (so JSON syntax and field names do not become tokens).
 */
final class TokenizerCorpus {

    private TokenizerCorpus() {}

    /** Writes every entry of {@code corpus} into {@code out}; returns {@code out}. */
    static Path write(List<DatasetConfig> corpus, Path out) {
        try {
            Files.createDirectories(out.getParent());
            try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (int i = 0; i < corpus.size(); i++) {
                    DatasetConfig entry = corpus.get(i);
                    DataFormat format = entry.format().orElse(DataFormat.TEXT);
                    switch (format) {
                        case TEXT, AUTO -> {
                            for (String document : DatasetReader.texts(entry.path(), format, true)
                                    .rows()) {
                                writer.write(document);
                                writer.write('\n');
                            }
                        }
                        case HH, CHAT -> {
                            for (List<ChatMessage> conversation : DatasetReader.conversations(
                                            entry.path(), format, true)
                                    .rows()) {
                                for (ChatMessage message : conversation) {
                                    writer.write(message.content());
                                    writer.write('\n');
                                }
                            }
                        }
                        default ->
                            throw new IllegalArgumentException("tokenizer.corpus[" + i + "].format: " + format
                                    + " is not read for tokenizer training; use text, chat or hh");
                    }
                    writer.write('\n');
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer corpus " + out, e);
        }
    }
}
