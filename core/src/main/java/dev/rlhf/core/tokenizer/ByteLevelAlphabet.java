package dev.rlhf.core.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible map between bytes and printable Unicode characters (its {@code bytes_to_unicode} table).
 *
 * <p>Byte-level BPE works on raw bytes, but vocabularies and merges are stored as strings. Bytes that are printable and
 * not whitespace (33..126, 161..172, 174..255) stand for themselves; the other 68 bytes (control characters, space,
 * 127..160 and the soft hyphen 173) are moved, in byte order, to the characters 256, 257, ... So every token is a
 * visible string without spaces, and every string of these characters decodes back to exactly the original bytes.
 * For example the space byte becomes {@code 'Ġ'} (U+0120) and the newline byte {@code 'Ċ'} (U+010A).
 */
public final class ByteLevelAlphabet {
    /** Number of characters in the alphabet: one per byte value. */
    public static final int SIZE = 256;

    private static final char[] BYTE_TO_CHAR = buildTable();
    private static final int[] CHAR_TO_BYTE = invert(BYTE_TO_CHAR);

    private ByteLevelAlphabet() {}

    /** The character that stands for byte {@code b} (only the low 8 bits are used, so signed bytes work). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** Maps every byte to its character. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /**
     * Maps every character back to its byte.
     *
     * @throws IllegalArgumentException if the text holds a character outside the alphabet
     */
    public static byte[] decode(String text) {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException(
                        String.format("character U+%04X at index %d is not in the byte-level alphabet", (int) c, i));
            }
            out[i] = (byte) b;
        }
        return out;
    }

    private static boolean printable(int b) {
        return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    }

    private static char[] buildTable() {
        char[] table = new char[SIZE];
        int next = SIZE;
        for (int b = 0; b < SIZE; b++) {
            table[b] = (char) (printable(b) ? b : next++);
        }
        return table;
    }

    private static int[] invert(char[] table) {
        int max = 0;
        for (char c : table) {
            max = Math.max(max, c);
        }
        int[] inverse = new int[max + 1];
        Arrays.fill(inverse, -1);
        for (int b = 0; b < table.length; b++) {
            inverse[table[b]] = b;
        }
        return inverse;
    }
}
