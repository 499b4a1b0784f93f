package dev.rlhf.core.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.rlhf.core.runs.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An evaluation's result, written into its run directory as {@code eval.json} (this record; NaN figures as null) and
 * {@code eval.md} ({@link EvalMarkdown}).
 *
 * @param prompts how many prompts every model answered
 * @param interval how the rates' 95% confidence intervals are computed
 * @param generation the sampling settings every model used
 * @param judge the LLM judge's model and endpoint; null without one
 * @param models each model's figures, the baseline first
 * @param comparisons every other model against the baseline
 * @param seconds wall time of the whole evaluation
 */
public record EvalReport(
        int prompts,
        String interval,
        EvalConfig.Generation generation,
        @JsonProperty("llm_judge") String judge,
        List<ModelSummary> models,
        List<Comparison> comparisons,
        double seconds) {

    /** The interval every rate's bounds come from. */
    public static final String INTERVAL = "Wilson score, 95%, over valid verdicts (invalid excluded)";

    /** Writes {@code eval.json} and {@code eval.md} into {@code dir}. */
    public void write(Path dir) {
        try {
            AtomicFile.write(dir.resolve("eval.json"), json().writeValueAsString(this));
            AtomicFile.write(dir.resolve("eval.md"), EvalMarkdown.of(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation into " + dir, e);
        }
    }

    /** The mapper {@code eval.json} is written with: indented, NaN as null. */
    public static ObjectMapper json() {
        JsonSerializer<Double> nanAsNull = new JsonSerializer<>() {
            @Override
            public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
                if (value == null || value.isNaN()) {
                    out.writeNull();
                } else {
                    out.writeNumber(value);
                }
            }
        };
        SimpleModule module = new SimpleModule();
        module.addSerializer(Double.class, nanAsNull);
        module.addSerializer(Double.TYPE, nanAsNull);
        return new ObjectMapper().registerModule(module).enable(SerializationFeature.INDENT_OUTPUT);
    }
}
