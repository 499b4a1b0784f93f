package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.MaskedTokens;
import dev.rlhf.core.tokenizer.SpecialTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns rows into token sequences: conversations through the chat template, texts into fixed-length blocks. */
public final class SftExamples {
    private SftExamples() {}

    /**
     * A conversation as {@code template} encodes it ({@link ChatTemplate#encode}), loss on the assistant replies and
     * their end-of-turn token, cut to its first {@code seqLen} tokens.
     */
    public static MaskedTokens chat(
            ChatTemplate template, Tokenizer tokenizer, List<ChatMessage> messages, int seqLen) {
        return truncate(template.encode(tokenizer, messages), seqLen);
    }

    /** The first {@code seqLen} tokens of an encoded conversation, with their loss mask. */
    public static MaskedTokens truncate(MaskedTokens encoded, int seqLen) {
        int length = Math.min(encoded.length(), seqLen);
        return new MaskedTokens(Arrays.copyOf(encoded.ids(), length), Arrays.copyOf(encoded.lossMask(), length));
    }

    /**
     * Documents joined with {@code <|endoftext|>} between them and cut into blocks of {@code seqLen} tokens, every
     * token a target. The last block is shorter when the tokens do not fill it; nothing is dropped.
     */
    public static List<MaskedTokens> blocks(Tokenizer tokenizer, List<String> documents, int seqLen) {
        long[] separator = tokenizer.encode(SpecialTokens.END_OF_TEXT);
        long[] tokens = new long[0];
        int size = 0;
        for (int d = 0; d < documents.size(); d++) {
            long[] piece = tokenizer.encode(documents.get(d));
            int extra = piece.length + (d > 0 ? separator.length : 0);
            if (size + extra > tokens.length) {
                tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, size + extra));
            }
            if (d > 0) {
                System.arraycopy(separator, 0, tokens, size, separator.length);
                size += separator.length;
            }
            System.arraycopy(piece, 0, tokens, size, piece.length);
            size += piece.length;
        }
        List<MaskedTokens> blocks = new ArrayList<>();
        for (int start = 0; start < size; start += seqLen) {
            long[] ids = Arrays.copyOfRange(tokens, start, Math.min(start + seqLen, size));
            boolean[] mask = new boolean[ids.length];
            Arrays.fill(mask, true);
            blocks.add(new MaskedTokens(ids, mask));
        }
        return blocks;
    }
}
