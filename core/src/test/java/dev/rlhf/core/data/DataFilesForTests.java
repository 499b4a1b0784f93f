package dev.rlhf.core.data;

import dev.rlhf.core.TestData;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small data files and a quickly trained tokenizer for the data tests. */
final class DataFilesForTests {
    private DataFilesForTests() {}

    static Path write(Path dir, String name, String... lines) {
        try {
            return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path gzip(Path dir, String name, String... lines) {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A 600-token byte-level BPE tokenizer trained on tiny-shakespeare (well under a second). */
    static Tokenizer tokenizer(Path dir) {
        TokenizerJsonWriter.write(BpeTrainer.train(List.of(TestData.tinyShakespeare()), 600), dir);
        return Tokenizer.load(dir);
    }

    static Path hh() {
        return TestData.file("hh-harmless-pairs.jsonl.gz");
    }
}
