package dev.rlhf.core.sft;

import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.runs.SampleLog;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Greedy generations for a fixed set of prompts, written to {@code samples/step-<N>.txt} ({@link SampleLog}) at each
 * evaluation, so a run's progress can be read as text. In SFT mode a prompt is a user turn; in pretraining it is raw
 * text.
 */
final class SampleWriter {

    private final Tokenizer tokenizer;
    private final SamplesConfig config;
    private final Optional<ChatTemplate> template;
    private final SampleLog log;

    /** In {@code chat} mode prompts go through the model's chat template, which must exist. */
    SampleWriter(Tokenizer tokenizer, SamplesConfig config, boolean chat, SampleLog log) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.template = chat ? Optional.of(ChatTemplate.of(tokenizer)) : Optional.empty();
        this.log = log;
    }

    void write(LanguageModel lm, long step) {
        if (config.prompts().isEmpty()) {
            return;
        }
        List<long[]> prompts = config.prompts().stream().map(this::encode).toList();
        SamplingConfig sampling = SamplingConfig.greedy(config.maxNewTokens()).withStopTokens(stopTokens());
        List<Generation> out = new Generator(lm, tokenizer::decode).generate(prompts, sampling);
        List<SampleLog.Sample> samples = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            samples.add(new SampleLog.Sample(
                    config.prompts().get(i), tokenizer.decode(out.get(i).tokens(), true)));
        }
        log.write(step, samples);
    }

    private long[] encode(String prompt) {
        return tokenizer.encode(template.map(t -> t.render(List.of(ChatMessage.user(prompt)), true))
                .orElse(prompt));
    }

    /** The template's end of turn and the end of text in chat mode, the end of text otherwise. */
    private Set<Long> stopTokens() {
        return template.map(t -> t.stopIds(tokenizer)).orElse(Set.of((long) tokenizer.eosId()));
    }
}
