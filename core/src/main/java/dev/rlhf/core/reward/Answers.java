package dev.rlhf.core.reward;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Optional;

/**
 * Finding and comparing final answers.
 *
 * <p>The answer of a response is the text after the <em>last</em> occurrence of the marker (e.g. {@code "Answer:"} or
 * GSM8K's {@code "####"}), up to the end of that line. Answers are compared after normalisation: Unicode NFC (so a
 * composed and a decomposed "é" are the same), surrounding whitespace stripped, one trailing period removed; two
 * answers that both read as decimal numbers are compared as numbers, so {@code "42"}, {@code "42.0"} and {@code "+42"}
 * are equal.
 */
public final class Answers {

    private Answers() {}

    /** The normalised text after the last {@code marker}, up to the end of its line; empty without marker or text. */
    public static Optional<String> extract(String response, String marker) {
        int at = response.lastIndexOf(marker);
        if (at < 0) {
            return Optional.empty();
        }
        String rest = response.substring(at + marker.length());
        int newline = rest.indexOf('\n');
        String answer = normalise(newline < 0 ? rest : rest.substring(0, newline));
        return answer.isEmpty() ? Optional.empty() : Optional.of(answer);
    }

    /** NFC, stripped of surrounding (Unicode) whitespace, without one trailing period. */
    public static String normalise(String answer) {
        String text = Normalizer.normalize(answer, Normalizer.Form.NFC).strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text;
    }

    /** True when the two normalised answers are equal as numbers (both numeric) or as text. */
    public static boolean same(String answer, String reference) {
        String a = normalise(answer);
        String b = normalise(reference);
        Optional<BigDecimal> x = number(a);
        Optional<BigDecimal> y = number(b);
        if (x.isPresent() && y.isPresent()) {
            return x.get().compareTo(y.get()) == 0;
        }
        return a.equals(b);
    }

    private static Optional<BigDecimal> number(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c < 128)) {
            return Optional.empty(); // BigDecimal would accept other scripts' digits; answers compare those as text
        }
        try {
            return Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
