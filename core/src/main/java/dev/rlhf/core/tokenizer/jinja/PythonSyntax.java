package dev.rlhf.core.tokenizer.jinja;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Rewrites what Jinjava 2.8 reads differently from Jinja2 in real chat templates, so the template means what it means
 * in transformers:
 *
 * <ul>
 *   <li>{@code lstrip_blocks}: the spaces and tabs before a block tag or comment are removed only when they start its
 *       line; Jinjava (whose own option is therefore off) would strip them before any tag, {@code a {% if %}} too;
 *   <li>a reversing slice {@code xs[::-1]} becomes {@code xs|reverse} (Qwen3 walks its messages backwards so);
 *   <li>a keyword argument's value is parenthesised, {@code f(k=a|length - 1)} becomes {@code f(k=(a|length - 1))}:
 *       Jinjava binds {@code =} tighter than arithmetic, Jinja2 takes the whole expression.
 * </ul>
 *
 * <p>Only the insides of {@code {{ }}} and {@code {% %}} are touched, never string literals, comments or text.
 */
final class PythonSyntax {
    private static final String REVERSE_SLICE = "[::-1]";

    private final String template;
    private final StringBuilder out;
    private int at;

    private PythonSyntax(String template) {
        this.template = template;
        this.out = new StringBuilder(template.length() + 64);
    }

    /** The template with the rewrites above applied. */
    static String rewrite(String template) {
        PythonSyntax rewriter = new PythonSyntax(template);
        rewriter.run();
        return rewriter.out.toString();
    }

    private void run() {
        while (at < template.length()) {
            if (template.startsWith("{#", at)) {
                lstripBlock();
                copyThrough("#}");
            } else if (template.startsWith("{{", at)) {
                copy(2);
                expression("}}");
            } else if (template.startsWith("{%", at)) {
                lstripBlock();
                copy(2);
                expression("%}");
            } else {
                copy(1);
            }
        }
    }

    /** Drops the spaces and tabs written since the last line break, if that is all there is on the line so far. */
    private void lstripBlock() {
        int lineStart = out.length();
        while (lineStart > 0 && (out.charAt(lineStart - 1) == ' ' || out.charAt(lineStart - 1) == '\t')) {
            lineStart--;
        }
        if (lineStart == 0 || out.charAt(lineStart - 1) == '\n') {
            out.setLength(lineStart);
        }
    }

    /** One expression or tag body up to its closing delimiter at bracket depth 0. */
    private void expression(String close) {
        Deque<Bracket> brackets = new ArrayDeque<>();
        while (at < template.length()) {
            char c = template.charAt(at);
            if (brackets.isEmpty() && template.startsWith(close, at)) {
                copy(close.length());
                return;
            }
            if (c == '\'' || c == '"') {
                stringLiteral(c);
            } else if (template.startsWith(REVERSE_SLICE, at)) {
                out.append("|reverse");
                at += REVERSE_SLICE.length();
            } else if (c == '(' || c == '[' || c == '{') {
                brackets.push(new Bracket(c));
                copy(1);
            } else if (c == ')' || c == ']' || c == '}') {
                if (!brackets.isEmpty()) {
                    closeKeywordValue(brackets.pop());
                }
                copy(1);
            } else if (c == ',' && !brackets.isEmpty()) {
                closeKeywordValue(brackets.peek());
                copy(1);
            } else if (c == '=' && isKeywordEquals(brackets)) {
                copy(1);
                out.append('(');
                brackets.peek().keywordValueOpen = true;
            } else {
                copy(1);
            }
        }
    }

    /** A lone {@code =} directly inside call parentheses: not {@code ==}, {@code !=}, {@code <=} or {@code >=}. */
    private boolean isKeywordEquals(Deque<Bracket> brackets) {
        if (brackets.isEmpty() || brackets.peek().kind != '(' || brackets.peek().keywordValueOpen) {
            return false;
        }
        char before = at > 0 ? template.charAt(at - 1) : ' ';
        char after = at + 1 < template.length() ? template.charAt(at + 1) : ' ';
        return "=!<>".indexOf(before) < 0 && after != '=';
    }

    private void closeKeywordValue(Bracket bracket) {
        if (bracket.keywordValueOpen) {
            out.append(')');
            bracket.keywordValueOpen = false;
        }
    }

    private void stringLiteral(char quote) {
        copy(1);
        while (at < template.length()) {
            char c = template.charAt(at);
            if (c == '\\') {
                copy(Math.min(2, template.length() - at));
            } else {
                copy(1);
                if (c == quote) {
                    return;
                }
            }
        }
    }

    private void copyThrough(String end) {
        int stop = template.indexOf(end, at + 2);
        int to = stop < 0 ? template.length() : stop + end.length();
        out.append(template, at, to);
        at = to;
    }

    private void copy(int chars) {
        out.append(template, at, at + chars);
        at += chars;
    }

    /** An open bracket, and whether a keyword value inside it waits for its closing parenthesis. */
    private static final class Bracket {
        final char kind;
        boolean keywordValueOpen;

        Bracket(char kind) {
            this.kind = kind;
        }
    }
}
