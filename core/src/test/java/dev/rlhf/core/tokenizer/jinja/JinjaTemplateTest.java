package dev.rlhf.core.tokenizer.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Jinja2 and Python behaviour chat templates rely on; each expected value is what transformers renders. */
class JinjaTemplateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-07-26T12:00:00Z"), ZoneOffset.UTC);

    private static String render(String template, Map<String, Object> variables) {
        return new JinjaTemplate(template, "test.jinja").render(variables, CLOCK);
    }

    private static String render(String template) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("s", "\n ab,c \n");
        variables.put("xs", List.of(1L, 2L, 3L));
        return render(template, variables);
    }

    @Test
    void pythonStringMethods() {
        assertEquals(" ab,c ", render("{{ s.strip('\\n') }}"));
        assertEquals("ab,c", render("{{ s.strip() }}"));
        assertEquals("ab,c \n|\n ab,c", render("{{ s.lstrip() }}|{{ s.rstrip() }}"));
        assertEquals(
                "True False True",
                render("{{ s.startswith('\\n') }} {{ s.endswith('x') }} " + "{{ s.startswith(('x', '\\n')) }}")
                        .replace("true", "True")
                        .replace("false", "False"));
        assertEquals(
                "c \n|2|ab,c",
                render("{{ s.split(',')[-1] }}|{{ 'a..b'.split('.')|length - 1 }}|" + "{{ s.split()[0] }}"));
        assertEquals(
                "a-b.c|A-b.c",
                render("{{ 'a.b.c'.replace('.', '-', 1) }}|{{ 'a.b.c'.replace('.', '-', 1)" + ".capitalize() }}"));
        assertEquals("HI hi Hi There", render("{{ 'hi'.upper() }} {{ 'HI'.lower() }} {{ 'hi there'.title() }}"));
        assertEquals("1, 2, 3", render("{{ ', '.join(['1', '2', '3']) }}"));
    }

    @Test
    void reversingSlicesAndKeywordArgumentsWithExpressions() {
        assertEquals("321", render("{% for x in xs[::-1] %}{{ x }}{% endfor %}"));
        assertEquals("2", render("{% set ns = namespace(last=xs|length - 1, seen=false) %}{{ ns.last }}"));
        assertEquals("23|1", render("{% for x in xs[1:] %}{{ x }}{% endfor %}|{{ xs[:1][0] }}"));
        assertEquals("a == b", render("{{ 'a == b' if 1 == 1 else 'no' }}"), "== and strings are left alone");
    }

    @Test
    void namespacesCarryValuesOutOfLoops() {
        assertEquals(
                "3",
                render("{% set ns = namespace(i=0) %}{% for x in xs %}{% set ns.i = x %}{% endfor %}" + "{{ ns.i }}"));
    }

    @Test
    void trimBlocksLstripBlocksAndWhitespaceControl() {
        assertEquals("    a\nb\n", render("{% if true %}\n    a\n{% endif %}\n    {%- if true %}\nb\n{% endif %}"));
        assertEquals("xy", render("x\n   {{- 'y' }}"));
    }

    @Test
    void loopControls() {
        assertEquals("13", render("{% for x in xs %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}"));
        assertEquals("1", render("{% for x in xs %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}"));
        assertEquals(
                "0:1 last",
                render("{% for x in xs[:1] %}{{ loop.index0 }}:{{ x }}"
                        + "{% if loop.last %} last{% endif %}{% endfor %}"));
    }

    @Test
    void generationBlocksRenderTheirBody() {
        assertEquals(
                "a: 1 2 3.",
                render("a: {% generation %}{% for x in xs %}{{ x }}{% if not loop.last %} "
                        + "{% endif %}{% endfor %}.{% endgeneration %}"));
    }

    @Test
    void tojsonIsPythonsJsonDumps() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", "café \"quoted\"\n");
        message.put("n", List.of(1L, 2.5, true));
        assertEquals(
                "{\"role\": \"user\", \"content\": \"café \\\"quoted\\\"\\n\", \"n\": [1, 2.5, true]}",
                render("{{ m | tojson }}", Map.of("m", message)));
        assertEquals("{\n  \"a\": [\n    1\n  ]\n}", render("{{ {'a': [1]} | tojson(indent=2) }}"));
    }

    @Test
    void pythonConstantsAndUndefinedNames() {
        assertEquals("yes", render("{% if True and not False and None is none %}yes{% endif %}"));
        assertEquals("|undefined", render("{{ nothing }}|{% if nothing is not defined %}undefined{% endif %}"));
    }

    @Test
    void strftimeNowReadsTheGivenClock() {
        assertEquals("26 Jul 2024", render("{{ strftime_now('%d %b %Y') }}"));
    }

    @Test
    void raiseExceptionStopsWithTheTemplatesMessageAndOrigin() {
        JinjaException e = assertThrows(
                JinjaException.class, () -> render("a{{ raise_exception('Roles must alternate user/assistant') }}"));
        assertEquals(
                "test.jinja: the template raised an exception: Roles must alternate user/assistant", e.getMessage());
    }

    @Test
    void aBrokenExpressionIsOneLineNamingTheTemplate() {
        JinjaException e = assertThrows(JinjaException.class, () -> render("line one\n{{ s.nosuchmethod() }}"));
        assertTrue(e.getMessage().startsWith("test.jinja: the template fails at line 2: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
