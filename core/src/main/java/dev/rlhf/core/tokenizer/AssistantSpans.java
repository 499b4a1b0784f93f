package dev.rlhf.core.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The characters of a rendered conversation that a model is trained to write: for each assistant turn, from the end
 * of the prompt it answers to the end of the template's end-of-turn token.
 *
 * <p>The prompt of turn {@code i} is the rendering of the turns before it with the generation prompt, exactly what
 * the model sees at inference; the whole rendering must begin with it (templates render earlier turns the same way
 * whatever follows). Whatever the template writes between that prompt and the end-of-turn token is the reply: the
 * content, and text such as Qwen3's {@code <think>\n\n</think>\n\n} which a model prompted so writes itself.
 */
final class AssistantSpans {
    private AssistantSpans() {}

    /** The characters {@code [start, end)} of assistant turn {@code turn} (its index in the messages). */
    record Span(int turn, int start, int end) {}

    static List<Span> find(ChatTemplate template, List<ChatMessage> messages, String text) {
        List<Span> spans = new ArrayList<>();
        int previousEnd = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).isAssistant()) {
                continue;
            }
            String prompt = template.render(messages.subList(0, i), true);
            if (!text.startsWith(prompt) || prompt.length() < previousEnd) {
                throw cannotPlace(
                        template,
                        i,
                        "the turns before it, rendered with the generation prompt, are not how "
                                + "the whole conversation begins");
            }
            int close = text.indexOf(template.endOfTurn(), prompt.length());
            if (close < 0) {
                throw cannotPlace(template, i, "no " + template.endOfTurn() + " after it");
            }
            previousEnd = close + template.endOfTurn().length();
            spans.add(new Span(i, prompt.length(), previousEnd));
        }
        return spans;
    }

    private static ChatTemplateException cannotPlace(ChatTemplate template, int turn, String reason) {
        return new ChatTemplateException(
                template.origin() + ": cannot place assistant turn " + turn + " for the loss mask: " + reason);
    }
}
