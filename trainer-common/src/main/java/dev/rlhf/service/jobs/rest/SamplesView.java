package dev.rlhf.service.jobs.rest;

import dev.rlhf.core.runs.SampleLog;
import java.util.List;

/** What a job generated on its fixed sample prompts at one step (one {@code samples/step-<N>.txt}). */
public record SamplesView(long step, List<Generation> samples) {

    /** One prompt and the model's completion of it. */
    public record Generation(String prompt, String completion) {}

    public static SamplesView of(SampleLog.Entry entry) {
        return new SamplesView(
                entry.step(),
                entry.samples().stream()
                        .map(s -> new Generation(s.prompt(), s.completion()))
                        .toList());
    }
}
