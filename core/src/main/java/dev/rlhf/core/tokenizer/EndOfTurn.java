package dev.rlhf.core.tokenizer;

import java.util.List;
import java.util.Set;

/**
 * Finds the special token a template closes an assistant turn with, by rendering a probe conversation of one user and
 * one assistant turn: the first of the vocabulary's special tokens after the reply. Generation stops there, and the
 * loss mask ends there.
 */
final class EndOfTurn {
    private static final String REPLY = "Certainly.";
    private static final List<ChatMessage> PROBE = List.of(ChatMessage.user("Hello?"), ChatMessage.assistant(REPLY));

    private EndOfTurn() {}

    static String probe(ChatTemplate template, Set<String> specialTokens) {
        String full = template.render(PROBE, false);
        int reply = full.lastIndexOf(REPLY);
        if (reply < 0) {
            throw new ChatTemplateException(template.origin() + ": the template leaves out the assistant's reply ("
                    + "a user turn and an assistant turn '" + REPLY + "' render as '" + escape(full) + "')");
        }
        String after = full.substring(reply + REPLY.length());
        String found = null;
        int foundAt = Integer.MAX_VALUE;
        for (String token : specialTokens) {
            int at = after.indexOf(token);
            if (at >= 0 && (at < foundAt || (at == foundAt && token.length() > found.length()))) {
                found = token;
                foundAt = at;
            }
        }
        if (found == null) {
            throw new ChatTemplateException(template.origin() + ": no special token of the vocabulary closes an "
                    + "assistant turn: after the reply the template writes '" + escape(after)
                    + "' (a token missing from tokenizer.json?)");
        }
        return found;
    }

    static String escape(String text) {
        return text.replace("\n", "\\n");
    }
}
