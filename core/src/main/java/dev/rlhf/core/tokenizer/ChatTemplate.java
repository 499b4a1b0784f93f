package dev.rlhf.core.tokenizer;

import dev.rlhf.core.tokenizer.jinja.JinjaException;
import dev.rlhf.core.tokenizer.jinja.JinjaTemplate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a conversation becomes text and tokens, and which tokens a model is trained on: a Hugging Face chat template
 * (Jinja), rendered as transformers' {@code apply_chat_template} renders it (see {@link JinjaTemplate}).
 *
 * <p>A model's template comes from its tokenizer directory ({@link #of}); the models this project trains carry
 * {@link #JINJA} there, where every turn is {@code <|role|>\n content <|end|>\n} and a prompt for generation ends with
 * {@code <|assistant|>\n} ({@link #own}).
 *
 * <p>The loss mask ({@link #encode}) covers what the model writes after a generation prompt, through the template's
 * end-of-turn token: the assistant contents, any text the template puts in front of them in the reply (Qwen3's empty
 * {@code <think>} block), and the token that closes the turn. {@link AssistantSpans} finds those characters by
 * rendering prefixes of the conversation; the tokens of the whole rendered text then carry loss where they start
 * inside one of them.
 */
public final class ChatTemplate {
    /** The project's own template, written into the {@code tokenizer_config.json} of the tokenizers it trains. */
    public static final String JINJA = "{% for message in messages %}"
            + "{% if message['role'] not in ['system', 'user', 'assistant'] %}"
            + "{{ raise_exception('unknown chat role ' + message['role']) }}{% endif %}"
            + "{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

    private static final ChatTemplate OWN = new ChatTemplate(
            new ChatTemplateSource(
                    JINJA,
                    "the project's chat template (ChatTemplate.JINJA)",
                    ChatTemplateSource.specialTokens(TokenizerJsonWriter.tokenizerConfig(0))),
            Set.copyOf(SpecialTokens.ALL),
            Clock.systemDefaultZone());

    private final ChatTemplateSource source;
    private final Set<String> vocabularySpecials;
    private final JinjaTemplate template;
    private final Clock clock;
    private final String endOfTurn;

    private ChatTemplate(ChatTemplateSource source, Set<String> vocabularySpecials, Clock clock) {
        this.source = source;
        this.vocabularySpecials = vocabularySpecials;
        this.template = new JinjaTemplate(source.text(), source.origin());
        this.clock = clock;
        this.endOfTurn = EndOfTurn.probe(this, vocabularySpecials);
    }

    /** The project's own template ({@link #JINJA}). */
    public static ChatTemplate own() {
        return OWN;
    }

    /**
     * The template of the tokenizer's model: {@code chat_template.jinja} beside its {@code tokenizer.json}, else the
     * {@code chat_template} of its {@code tokenizer_config.json}.
     *
     * @throws ChatTemplateException naming the directory when there is none, and naming the template file when it
     *     fails to render, uses a special token the vocabulary lacks, or closes an assistant turn with no special token
     */
    public static ChatTemplate of(Tokenizer tokenizer) {
        return find(tokenizer)
                .orElseThrow(() -> new ChatTemplateException(
                        tokenizer.file().toAbsolutePath().getParent()
                                + ": no chat template: neither " + ChatTemplateSource.JINJA_FILE
                                + " nor a chat_template in "
                                + TokenizerJsonWriter.TOKENIZER_CONFIG_JSON
                                + " (chat data needs the model's template)"));
    }

    /** The template of the tokenizer's model, if its directory has one; see {@link #of}. */
    public static Optional<ChatTemplate> find(Tokenizer tokenizer) {
        return ChatTemplateSource.find(tokenizer.file()).map(source -> {
            checkTokenVariables(source, tokenizer);
            return new ChatTemplate(source, tokenizer.specialTokens(), Clock.systemDefaultZone());
        });
    }

    /** The same template with {@code strftime_now} reading {@code clock} (templates that print today's date). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, vocabularySpecials, clock);
    }

    /**
     * The text of a conversation, optionally followed by the opening of an assistant turn.
     *
     * @throws ChatTemplateException naming the template when it raises an exception or fails
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Map<String, Object> variables = new LinkedHashMap<>(source.specialTokens());
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", message.role());
            turn.put("content", message.content());
            turns.add(turn);
        }
        variables.put("messages", turns);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("tools", null);
        try {
            return template.render(variables, clock);
        } catch (JinjaException e) {
            throw new ChatTemplateException(e.getMessage());
        }
    }

    /** The tokens of a whole conversation for training, with the assistant turns marked for loss. */
    public MaskedTokens encode(Tokenizer tokenizer, List<ChatMessage> messages) {
        return encode(tokenizer, messages, false);
    }

    /**
     * The tokens of {@link #render}, encoded in one go as transformers does, with the assistant replies and their
     * end-of-turn token marked for loss.
     *
     * @throws ChatTemplateException naming the template when an assistant turn cannot be placed in the text
     */
    public MaskedTokens encode(Tokenizer tokenizer, List<ChatMessage> messages, boolean addGenerationPrompt) {
        String text = render(messages, addGenerationPrompt);
        List<AssistantSpans.Span> spans = AssistantSpans.find(this, messages, text);
        TokenOffsets tokens = tokenizer.encodeWithOffsets(text);
        boolean[] mask = new boolean[tokens.ids().length];
        int token = 0;
        for (AssistantSpans.Span span : spans) {
            while (token < mask.length && tokens.starts()[token] < span.start()) {
                token++;
            }
            int first = token;
            while (token < mask.length && tokens.starts()[token] < span.end()) {
                mask[token++] = true;
            }
            if (token == first) {
                throw new ChatTemplateException(origin() + ": turn " + span.turn() + " (assistant) covers no token");
            }
        }
        return new MaskedTokens(tokens.ids(), mask);
    }

    /** The special token that closes an assistant turn ({@code <|im_end|>}, {@code <|eot_id|>}, {@code <|end|>}). */
    public String endOfTurn() {
        return endOfTurn;
    }

    /**
     * The ids a chat reply stops at: the end-of-turn token and the model's end-of-sequence token, so a model stops
     * after one turn however it was trained.
     */
    public Set<Long> stopIds(Tokenizer tokenizer) {
        Set<Long> stops = new LinkedHashSet<>();
        tokenizer.tokenId(endOfTurn).ifPresent(id -> stops.add((long) id));
        stops.add((long) tokenizer.eosId());
        return stops;
    }

    /** Whether this is the project's own template ({@link #JINJA}), whose layout of token ids is known. */
    public boolean isProjects() {
        return source.text().equals(JINJA);
    }

    /** The Jinja source. */
    String text() {
        return source.text();
    }

    /** The file (and key) the template came from. */
    public String origin() {
        return source.origin();
    }

    /** The start of a turn of {@link #JINJA}: the role token and a newline ({@link ChatLayout} lays out ids). */
    static String header(String role) {
        return "<|" + role + "|>\n";
    }

    /** A special-token variable the template uses must name a token of the vocabulary. */
    private static void checkTokenVariables(ChatTemplateSource source, Tokenizer tokenizer) {
        for (Map.Entry<String, Object> variable : source.specialTokens().entrySet()) {
            boolean used = Pattern.compile("\\b" + variable.getKey() + "\\b")
                    .matcher(source.text())
                    .find();
            if (used
                    && variable.getValue() instanceof String token
                    && tokenizer.tokenId(token).isEmpty()) {
                throw new ChatTemplateException(source.origin() + ": the template uses " + variable.getKey() + " '"
                        + token + "', which is not in the vocabulary of " + tokenizer.file());
            }
        }
    }
}
