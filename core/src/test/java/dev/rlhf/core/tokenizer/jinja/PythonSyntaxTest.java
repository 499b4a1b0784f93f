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
    void lstripBlocksRemovesOnlyIndentationThatStartsALine() {
        assertEquals("a\n{% if x %}b{% endif %}", PythonSyntax.rewrite("a\n  \t{% if x %}b{% endif %}"));
        assertEquals("{# note #}x", PythonSyntax.rewrite("   {# note #}x"));
        assertEquals("a {% if x %} {% endif %}", PythonSyntax.rewrite("a {% if x %} {% endif %}"));
        assertEquals("\n  {{ x }}", PythonSyntax.rewrite("\n  {{ x }}"), "expressions keep their indentation");
    }

    @Test
    void comparisonsStringsCommentsAndTextAreLeftAlone() {
        String untouched = "x[::-1] f(a=b) {# [::-1] f(a=b) #}{{ f(a == b, c != d, e <= g) }}"
                + "{{ '[::-1] f(a=b)' }}{% set x = 1 %}";
        assertEquals(untouched, PythonSyntax.rewrite(untouched));
    }
}
