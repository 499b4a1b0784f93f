package dev.rlhf.core.tokenizer.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PythonSyntaxTest {
    @Test
    void reversingSlicesBecomeTheReverseFilter() {
        assertEquals("{% for m in messages|reverse %}", PythonSyntax.rewrite("{% for m in messages[::-1] %}"));
    }

    @Test
    void keywordValuesAreParenthesised() {
        assertEquals(
                "{% set ns = namespace(a=(true), b=(xs|length - 1)) %}",
                PythonSyntax.rewrite("{% set ns = namespace(a=true, b=xs|length - 1) %}"));
        assertEquals("{{ f(k=(g(x=(1), y=(2)))) }}", PythonSyntax.rewrite("{{ f(k=g(x=1, y=2)) }}"));
    }

    @Test
    void comparisonsStringsCommentsAndTextAreLeftAlone() {
        String untouched = "x[::-1] f(a=b) {# [::-1] f(a=b) #}{{ f(a == b, c != d, e <= g) }}"
                + "{{ '[::-1] f(a=b)' }}{% set x = 1 %}";
        assertEquals(untouched, PythonSyntax.rewrite(untouched));
    }
}
