package dev.rlhf.core.rollout;

import dev.rlhf.core.generation.GenerationDefaults;
import dev.rlhf.core.tokenizer.ChatLayout;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How a policy is asked a prompt: the text as the user turn of the policy's chat template with the generation prompt
 * ({@link ChatLayout#prompt}), its content cut from the left to {@code maxPromptTokens} tokens; the answer ends at the
 * template's end-of-turn token or at one of the model's EOS ids ({@code generation_config.json}, else the tokenizer's).
 */
public final class ChatPrompt {

    private final ChatLayout layout;
    private final int maxPromptTokens;
    private final Set<Long> stops;

    public ChatPrompt(ChatLayout layout, int maxPromptTokens) {
        this.layout = layout;
        this.maxPromptTokens = maxPromptTokens;
        Set<Long> stops = new LinkedHashSet<>(layout.template().stopIds(layout.tokenizer()));
        stops.addAll(
                GenerationDefaults.read(layout.tokenizer().file().getParent()).eosTokenIds());
        this.stops = Collections.unmodifiableSet(stops);
    }

    /** What the policy continues. */
    public ChatLayout.Prompt input(String prompt) {
        return layout.prompt(prompt, maxPromptTokens);
    }

    /** Where generation stops: the end of the turn or of the text. */
    public Set<Long> stopTokens() {
        return stops;
    }

    /** The response without its closing end-of-turn token. */
    public long[] withoutEnd(long[] response) {
        return layout.withoutEnd(response);
    }
}
