package dev.rlhf.core.tokenizer.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * The global functions transformers gives chat templates. Jinjava calls static methods; the clock of
 * {@code strftime_now} travels in the render's context under {@link #CLOCK}, so a test can fix the date.
 */
public final class TemplateFunctions {
    /** The context variable holding the {@link Clock} of {@code strftime_now}. */
    static final String CLOCK = "__rlhf_clock__";

    private TemplateFunctions() {}

    /** {@code raise_exception(message)}: the template rejects its input; rendering stops with {@code message}. */
    public static Object raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** {@code strftime_now(format)}: the render's current time in Python's strftime {@code format}. */
    public static String strftimeNow(String format) {
        Object clock = JinjavaInterpreter.getCurrent().getContext().get(CLOCK);
        ZonedDateTime now = ZonedDateTime.now(clock instanceof Clock c ? c : Clock.systemDefaultZone());
        return StrftimeFormatter.format(now, format, Locale.US);
    }

    /** What {@code raise_exception} throws; its message is the template's. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }
}
