package dev.rlhf.core.tokenizer.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * A chat template rendered the way transformers renders one: Jinja with {@code trim_blocks} and
 * {@code lstrip_blocks}, loop controls, the globals {@code raise_exception} and {@code strftime_now}, its
 * {@code tojson} and {@code generation} tag, and Python string methods and syntax on top of HubSpot's Jinjava (see {@link PythonStrings},
 * {@link PythonSyntax}, {@link PythonJson}). Undefined names are empty and false, as in Jinja2.
 */
public final class JinjaTemplate {
    private static final Jinjava ENGINE = engine();

    private final Node tree;
    private final String origin;

    /**
     * Parses the template once; every render walks the same tree.
     *
     * @param source the template text, as it stands in {@code tokenizer_config.json} or a {@code .jinja} file
     * @param origin where it came from, for error messages (a file and key)
     * @throws JinjaException naming {@code origin} when the template does not parse
     */
    public JinjaTemplate(String source, String origin) {
        this.origin = origin;
        JinjavaInterpreter parser = ENGINE.newInterpreter();
        this.tree = parser.parse(PythonSyntax.rewrite(source));
        fail(parser.getErrorsCopy());
    }

    /**
     * The text the template renders with {@code variables} ({@code messages}, {@code add_generation_prompt}, the
     * special tokens, ...), {@code strftime_now} reading {@code clock}.
     *
     * @throws JinjaException naming {@link #origin} when the template calls {@code raise_exception} or fails
     */
    public String render(Map<String, Object> variables, Clock clock) {
        Map<String, Object> context = new HashMap<>();
        context.put("True", true);
        context.put("False", false);
        context.put("None", null);
        context.putAll(variables);
        context.put(TemplateFunctions.CLOCK, clock);
        // One render at a time: Jinjava records what a render resolved in its global context, as its own
        // renderForResult does, and clears it afterwards.
        synchronized (ENGINE) {
            JinjavaInterpreter interpreter = new JinjavaInterpreter(
                    ENGINE,
                    new Context(
                            ENGINE.getGlobalContext(),
                            context,
                            ENGINE.getGlobalConfig().getDisabled()),
                    ENGINE.getGlobalConfig());
            JinjavaInterpreter.pushCurrent(interpreter);
            try {
                String output = interpreter.render(tree);
                fail(interpreter.getErrorsCopy());
                return output;
            } catch (TemplateFunctions.TemplateRaised e) {
                throw new JinjaException(origin + ": the template raised an exception: " + e.getMessage());
            } finally {
                ENGINE.getGlobalContext().reset();
                JinjavaInterpreter.popCurrent();
            }
        }
    }

    private void fail(List<TemplateError> errors) {
        for (TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new JinjaException(origin + ": " + describe(error));
            }
        }
    }

    /** Where the template came from. */
    public String origin() {
        return origin;
    }

    private static String describe(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof TemplateFunctions.TemplateRaised raised) {
                return "the template raised an exception: " + raised.getMessage();
            }
        }
        String message = error.getMessage().replace('\n', ' ');
        return "the template fails at line " + error.getLineno() + ": " + message;
    }

    private static Jinjava engine() {
        LegacyOverrides python = LegacyOverrides.newBuilder()
                .withUseNaturalOperatorPrecedence(true)
                .withUseTrimmingForNotesAndExpressions(true)
                .withParseWhitespaceControlStrictly(true)
                .withKeepNullableLoopValues(true)
                .withEvaluateMapKeys(true)
                .build();
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStrings());
        resolver.add(JinjavaConfig.newBuilder().build().getElResolver());
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(false) // PythonSyntax does it as Jinja2 does
                .withLegacyOverrides(python)
                .withElResolver(resolver)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFilter(new PythonJson());
        jinjava.getGlobalContext().registerTag(new GenerationTag());
        jinjava.getGlobalContext()
                .registerFunction(new ELFunctionDefinition(
                        "", "raise_exception", TemplateFunctions.class, "raiseException", String.class));
        jinjava.getGlobalContext()
                .registerFunction(new ELFunctionDefinition(
                        "", "strftime_now", TemplateFunctions.class, "strftimeNow", String.class));
        return jinjava;
    }
}
