package dev.rlhf.core.sft;

import dev.rlhf.core.config.ConfigValueException;
import java.util.List;

/**
 * The {@code samples} section: fixed prompts whose generations are written to {@code samples/} at each evaluation.
 *
 * @param prompts user messages, each sent as a one-turn conversation (or raw text in pretraining)
 * @param maxNewTokens the longest generation
 */
public record SamplesConfig(List<String> prompts, int maxNewTokens) {
    public SamplesConfig {
        ConfigValueException.positive("max_new_tokens", maxNewTokens);
    }
}
