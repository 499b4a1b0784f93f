package dev.rlhf.core.tokenizer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams the text of UTF-8 corpus files (gzip-compressed when the name ends in {@code .gz}) in chunks, so a large
 * corpus never has to sit in memory as one string.
 *
 * <p>A chunk only ends where a newline follows a visible ASCII character. No GPT-2 pre-tokenizer word spans such a
 * place (words never hold a non-space followed by a space), so splitting each chunk on its own yields exactly the words
 * of the whole file.
 */
final class CorpusReader {
    private static final int CHUNK_CHARS = 1 << 20;

    private CorpusReader() {}

    /**
     * Feeds every file's text to {@code chunks}, file by file.
     *
     * @return the number of characters read in all files
     * @throws TokenizerException naming the file when it is missing, unreadable, not gzip or not UTF-8
     */
    static long read(Iterable<Path> files, Consumer<String> chunks) {
        long total = 0;
        for (Path file : files) {
            try {
                total += readFile(file, chunks);
            } catch (NoSuchFileException e) {
                throw new TokenizerException(file + ": file not found");
            } catch (AccessDeniedException e) {
                throw new TokenizerException(file + ": permission denied");
            } catch (ZipException e) {
                throw new TokenizerException(file + ": not a valid gzip file: " + e.getMessage());
            } catch (CharacterCodingException e) {
                throw new TokenizerException(file + ": not valid UTF-8 text");
            } catch (IOException e) {
                throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
            }
        }
        return total;
    }

    private static long readFile(Path file, Consumer<String> chunks) throws IOException {
        if (Files.isDirectory(file)) {
            throw new TokenizerException(file + ": is a directory, expected a text file");
        }
        long total = 0;
        try (Reader reader = open(file)) {
            StringBuilder pending = new StringBuilder();
            char[] buffer = new char[1 << 16];
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                pending.append(buffer, 0, n);
                total += n;
                if (pending.length() >= CHUNK_CHARS) {
                    int cut = lastSafeCut(pending);
                    if (cut > 0) {
                        chunks.accept(pending.substring(0, cut));
                        pending.delete(0, cut);
                    }
                }
            }
            if (!pending.isEmpty()) {
                chunks.accept(pending.toString());
            }
        }
        return total;
    }

    private static Reader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** The last index i with a newline at i and a visible ASCII character at i - 1, or -1 if there is none. */
    private static int lastSafeCut(CharSequence text) {
        for (int i = text.length() - 1; i > 0; i--) {
            char before = text.charAt(i - 1);
            if (text.charAt(i) == '\n' && before > ' ' && before < 127) {
                return i;
            }
        }
        return -1;
    }
}
