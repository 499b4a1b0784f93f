package dev.rlhf.core.reward;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code regex_format}: 1 when the response has the expected form, else 0. The pattern is a Java regular expression;
 * with {@code fullMatch} the whole response must match it, otherwise a match anywhere counts. Flags go into the pattern
 * ({@code (?s)} lets {@code .} cross lines).
 */
public final class RegexFormat implements RewardFunction {

    /**
     * @param pattern a Java regular expression, e.g. {@code "Answer: -?\\d+\\s*$"}
     * @param fullMatch whether the whole response must match, rather than a part of it
     */
    public record Settings(String pattern, boolean fullMatch) {

        public Settings {
            if (pattern == null || pattern.isEmpty()) {
                throw new IllegalArgumentException("regex_format.pattern: must be a non-empty regular expression");
            }
        }
    }

    private final Pattern pattern;
    private final boolean fullMatch;

    public RegexFormat(Settings settings) {
        try {
            this.pattern = Pattern.compile(settings.pattern());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex_format.pattern: not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex() + " of '" + settings.pattern() + "'");
        }
        this.fullMatch = settings.fullMatch();
    }

    @Override
    public String name() {
        return "regex_format";
    }

    @Override
    public double score(RewardInput input) {
        var matcher = pattern.matcher(input.response());
        return (fullMatch ? matcher.matches() : matcher.find()) ? 1 : 0;
    }
}
