package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic HH transcripts: {@code "\n\nHuman: ...\n\nAssistant: ..."}. Turns are cut at the markers; a Human turn
 * becomes a user message, an Assistant turn an assistant message, each with the white space around it stripped. A few
 * transcripts give one speaker two turns in a row; those are one message, joined by a blank line, since chat templates
 * expect the roles to alternate (some raise an error otherwise, and a reply that follows a reply has no prompt of its
 * own to be masked against).
 *
 * <p>The chosen and rejected transcripts of a pair share the dialogue up to their last Assistant marker; that shared
 * part is the prompt and what follows it in each is the reply.
 */
public final class HhTranscript {
    public static final String HUMAN = "\n\nHuman:";
    public static final String ASSISTANT = "\n\nAssistant:";

    private HhTranscript() {}

    /**
     * The turns of a transcript.
     *
     * @throws IllegalArgumentException when there is text before the first marker or no marker at all
     */
    public static List<ChatMessage> parse(String transcript) {
        String text = transcript.startsWith("Human:") || transcript.startsWith("Assistant:")
                ? "\n\n" + transcript
                : transcript;
        List<ChatMessage> turns = new ArrayList<>();
        int at = nextMarker(text, 0);
        if (at < 0) {
            throw new IllegalArgumentException("no \\n\\nHuman: or \\n\\nAssistant: turn in the transcript");
        }
        if (!text.substring(0, at).isBlank()) {
            throw new IllegalArgumentException("text before the first \\n\\nHuman: turn");
        }
        while (at >= 0) {
            boolean human = text.startsWith(HUMAN, at);
            int start = at + (human ? HUMAN : ASSISTANT).length();
            int next = nextMarker(text, start);
            String content =
                    text.substring(start, next < 0 ? text.length() : next).strip();
            ChatMessage turn = human ? ChatMessage.user(content) : ChatMessage.assistant(content);
            int last = turns.size() - 1;
            if (last >= 0 && turns.get(last).role().equals(turn.role())) {
                turn = new ChatMessage(turn.role(), turns.remove(last).content() + "\n\n" + content);
            }
            turns.add(turn);
            at = next;
        }
        return turns;
    }

    /**
     * The text both transcripts share, up to and including their last shared {@code "\n\nAssistant:"}.
     *
     * @throws IllegalArgumentException when they share no Assistant marker
     */
    public static String sharedPrompt(String chosen, String rejected) {
        int common = 0;
        int limit = Math.min(chosen.length(), rejected.length());
        while (common < limit && chosen.charAt(common) == rejected.charAt(common)) {
            common++;
        }
        int marker = chosen.lastIndexOf(ASSISTANT, common - ASSISTANT.length());
        if (marker < 0) {
            throw new IllegalArgumentException("chosen and rejected share no \\n\\nAssistant: turn");
        }
        return chosen.substring(0, marker + ASSISTANT.length());
    }

    /**
     * The pair of an HH row: the shared dialogue as the prompt, and the two last Assistant replies.
     *
     * @throws IllegalArgumentException when the transcripts differ before their last Human turn
     */
    public static PreferencePair pair(String chosen, String rejected) {
        String prompt = sharedPrompt(chosen, rejected);
        String chosenReply = chosen.substring(prompt.length());
        String rejectedReply = rejected.substring(prompt.length());
        // A Human turn after the shared part means the dialogues part ways earlier. A stray Assistant marker inside a
        // reply (two rows of the HH harmless test split have one) stays part of that reply's text.
        if (chosenReply.contains(HUMAN) || rejectedReply.contains(HUMAN)) {
            throw new IllegalArgumentException("chosen and rejected differ before their last Assistant turn");
        }
        List<ChatMessage> turns = parse(prompt.substring(0, prompt.length() - ASSISTANT.length()));
        return new PreferencePair(turns, chosenReply.strip(), rejectedReply.strip());
    }

    private static int nextMarker(String text, int from) {
        int human = text.indexOf(HUMAN, from);
        int assistant = text.indexOf(ASSISTANT, from);
        if (human < 0 || assistant < 0) {
            return Math.max(human, assistant);
        }
        return Math.min(human, assistant);
    }
}
