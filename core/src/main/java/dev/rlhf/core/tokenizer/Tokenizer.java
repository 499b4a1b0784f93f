package dev.rlhf.core.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face {@code tokenizer.json}, ours or a foreign one (Llama, Qwen, ...), loaded through DJL's binding of the
 * Rust tokenizers library, so encoding is the same as in Python.
 *
 * <p>Encoding never adds special tokens (no BOS, no EOS, no truncation, no padding); callers add what they need.
 * Special-token strings inside the text are still recognised and become their ids. Close it to free the native
 * tokenizer.
 */
public final class Tokenizer implements AutoCloseable {
    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private final TokenizerMetadata metadata;
    private final HuggingFaceTokenizer delegate;

    private Tokenizer(TokenizerMetadata metadata, HuggingFaceTokenizer delegate) {
        this.metadata = metadata;
        this.delegate = delegate;
    }

    /**
     * Loads {@code tokenizer.json}, given as the file or as the directory that holds it.
     *
     * @throws TokenizerException naming the file when it is missing, not JSON, lacks a model or vocab, or cannot be
     *     loaded by the tokenizers library
     */
    public static Tokenizer load(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(TokenizerJsonWriter.TOKENIZER_JSON) : dirOrFile;
        TokenizerMetadata metadata = TokenizerMetadata.read(file);
        try {
            return new Tokenizer(metadata, HuggingFaceTokenizer.newInstance(file, OPTIONS));
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(file + ": the tokenizers library cannot load it: " + e.getMessage(), e);
        }
    }

    /** The token ids of {@code text}; no special tokens are added, but special-token strings in it become ids. */
    public long[] encode(String text) {
        return delegate.encode(text, false, false).getIds();
    }

    /**
     * The token ids of {@code text} with the characters each came from, as {@link #encode}. The tokenizers library
     * counts characters as code points; they are turned into {@code char} indices here, so text beyond the Basic
     * Multilingual Plane (emoji) keeps its tokens on the right characters.
     */
    public TokenOffsets encodeWithOffsets(String text) {
        Encoding encoding = delegate.encode(text, false, false);
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] starts = new int[spans.length];
        int[] ends = new int[spans.length];
        int[] charIndex = codePointToCharIndex(text);
        for (int i = 0; i < spans.length; i++) {
            starts[i] = charIndex[Math.min(spans[i].getStart(), charIndex.length - 1)];
            ends[i] = charIndex[Math.min(spans[i].getEnd(), charIndex.length - 1)];
        }
        return new TokenOffsets(encoding.getIds(), starts, ends);
    }

    /** For each code point index (and one past the end), the {@code char} index where it starts. */
    private static int[] codePointToCharIndex(String text) {
        int[] index = new int[text.codePointCount(0, text.length()) + 1];
        int at = 0;
        for (int i = 0; i < index.length - 1; i++) {
            index[i] = at;
            at += Character.charCount(text.codePointAt(at));
        }
        index[index.length - 1] = text.length();
        return index;
    }

    /** The text of {@code ids}, special tokens included as their strings. */
    public String decode(long[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids}; with {@code skipSpecial}, special tokens are left out. */
    public String decode(long[] ids, boolean skipSpecial) {
        return delegate.decode(ids, skipSpecial);
    }

    /** The largest token id plus one, over the model vocab and the added tokens: the size of an embedding table. */
    public int vocabSize() {
        return metadata.vocabSize();
    }

    /** The id of a token given in the vocab's own form (e.g. {@code "Ġthe"} for byte-level BPE) or a special token. */
    public OptionalInt tokenId(String token) {
        Integer id = metadata.tokenIds().get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * The end-of-sequence id: the {@code eos_token} of a {@code tokenizer_config.json} beside the file if it names
     * one, else {@code <|endoftext|>}.
     *
     * @throws TokenizerException when neither exists in the vocab
     */
    public int eosId() {
        Optional<String> configured = metadata.eosToken();
        OptionalInt id = tokenId(configured.orElse(SpecialTokens.END_OF_TEXT));
        if (id.isEmpty()) {
            throw new TokenizerException(metadata.file() + ": no end-of-sequence token: "
                    + configured
                            .map(t -> "eos_token '" + t + "' from tokenizer_config.json is not in the vocab")
                            .orElse("no tokenizer_config.json eos_token and no " + SpecialTokens.END_OF_TEXT));
        }
        return id.getAsInt();
    }

    /** The padding id: the config's {@code pad_token} if it names one, else {@code <|pad|>} if present. */
    public OptionalInt padId() {
        return tokenId(metadata.padToken().orElse(SpecialTokens.PAD));
    }

    /** The contents of the added tokens marked {@code special}: role markers, end-of-turn and such. */
    public Set<String> specialTokens() {
        return metadata.specialTokens();
    }

    /** The {@code tokenizer.json} this was loaded from. */
    public Path file() {
        return metadata.file();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
