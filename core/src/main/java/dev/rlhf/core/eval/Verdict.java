package dev.rlhf.core.eval;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pairwise judge answered about answers A and B, read from its free text. The judge is asked to end with
 * {@code [[A]]}, {@code [[B]]} or {@code [[C]]} (a tie); the last such mark counts (a judge often restates the
 * format before deciding), {@code [[tie]]} too, case and spaces ignored. Without a mark, a last line that is only the
 * verdict ({@code A}, {@code "Verdict: B"}, {@code **Tie**}) counts. Anything else is {@link #INVALID}: reported as
 * such, never taken for a tie.
 */
public enum Verdict {
    A,
    B,
    TIE,
    INVALID;

    private static final Pattern MARK = Pattern.compile("\\[\\[\\s*(A|B|C|TIE)\\s*]]", Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE_LINE = Pattern.compile(
            "(?:final\\s+)?(?:verdict|answer|winner|decision|better)?\\s*[:=\\-]?\\s*"
                    + "(?:assistant|answer|response)?\\s*\\(?(A|B|tie)\\)?[.!]?",
            Pattern.CASE_INSENSITIVE);

    /** The verdict in a judge's text. */
    public static Verdict parse(String text) {
        if (text == null) {
            return INVALID;
        }
        Matcher mark = MARK.matcher(text);
        String last = null;
        while (mark.find()) {
            last = mark.group(1);
        }
        if (last != null) {
            return of(last);
        }
        List<String> lines =
                text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return INVALID;
        }
        String line = lines.get(lines.size() - 1).replaceAll("[*_`\"']", "").strip();
        Matcher bare = BARE_LINE.matcher(line);
        return bare.matches() ? of(bare.group(1)) : INVALID;
    }

    private static Verdict of(String token) {
        return switch (token.toUpperCase(Locale.ROOT)) {
            case "A" -> A;
            case "B" -> B;
            default -> TIE;
        };
    }
}
