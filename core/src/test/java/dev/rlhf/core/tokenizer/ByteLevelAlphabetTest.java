package dev.rlhf.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelAlphabetTest {
    @Test
    void everyByteRoundTrips() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        String encoded = ByteLevelAlphabet.encode(all);
        assertEquals(256, encoded.length());
        assertArrayEquals(all, ByteLevelAlphabet.decode(encoded));
    }

    @Test
    void charactersAreDistinctVisibleAndNotWhitespace() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevelAlphabet.charOf(b);
            assertTrue(seen.add(c), "duplicate character for byte " + b);
            assertFalse(Character.isWhitespace(c) || Character.isSpaceChar(c), "whitespace for byte " + b);
            assertFalse(Character.isISOControl(c), "control character for byte " + b);
        }
    }

    @Test
    void knownGpt2Mappings() {
        assertEquals('\u0120', ByteLevelAlphabet.charOf(' ')); // Ġ
        assertEquals('\u010A', ByteLevelAlphabet.charOf('\n')); // Ċ
        assertEquals('\u0109', ByteLevelAlphabet.charOf('\t')); // ĉ
        assertEquals('\u0100', ByteLevelAlphabet.charOf(0));
        assertEquals('\u0121', ByteLevelAlphabet.charOf(127)); // first byte after the space run
        assertEquals('\u0143', ByteLevelAlphabet.charOf(173)); // soft hyphen, the last moved byte
        assertEquals('A', ByteLevelAlphabet.charOf('A'));
        assertEquals('\u00e9', ByteLevelAlphabet.charOf(0xe9));
        assertEquals("Ġhello", ByteLevelAlphabet.encode(" hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Ã©", ByteLevelAlphabet.encode("é".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void foreignCharacterIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ByteLevelAlphabet.decode("ab\u4e00"));
        assertTrue(e.getMessage().contains("U+4E00"), e.getMessage());
    }
}
