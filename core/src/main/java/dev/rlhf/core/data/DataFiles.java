package dev.rlhf.core.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files as UTF-8 text, gunzipping those that start with the gzip magic bytes, whatever their name. */
public final class DataFiles {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private DataFiles() {}

    /** A reader over the text of {@code file}; a {@link DataException} naming it when it cannot be opened. */
    public static BufferedReader open(Path file) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            boolean gzip = in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
            in.reset();
            if (!gzip && file.getFileName().toString().endsWith(".gz")) {
                in.close();
                throw new DataException(file + ": named .gz but not gzip data");
            }
            InputStream text = gzip ? new GZIPInputStream(in, 1 << 16) : in;
            return new BufferedReader(new InputStreamReader(text, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new DataException(file + ": cannot open: " + e, e);
        }
    }

    /** The whole text of {@code file}. */
    static String readAll(Path file) {
        try (BufferedReader reader = open(file)) {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[1 << 16];
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                text.append(buffer, 0, n);
            }
            return text.toString();
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
    }
}
