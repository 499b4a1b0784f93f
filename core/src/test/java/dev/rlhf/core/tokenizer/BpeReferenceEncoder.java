package dev.rlhf.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.LongStream;

/**
 * A plain-Java encoder for a {@link BpeModel}: the reference the Hugging Face tokenizer is checked against, and a way
 * to encode without native code.
 *
 * <p>Special-token strings become their ids; the text between them is split by {@link ByteLevelPreTokenizer}; each
 * word starts as its bytes and repeatedly merges the adjacent pair whose merge was learned first, everywhere in the
 * word, until no learned merge applies. That is what Hugging Face's BPE model does with the same merges.
 */
public final class BpeReferenceEncoder {
    /** (left, right) -> rank in the high 32 bits, merged id in the low 32 bits. */
    private final Map<Long, Long> ranks = new HashMap<>();

    public BpeReferenceEncoder(BpeModel model) {
        for (int rank = 0; rank < model.merges().size(); rank++) {
            BpeMerge merge = model.merges().get(rank);
            // a pair learned twice keeps its later rank, as in Hugging Face's BPE model
            ranks.put(WordPairs.key(merge.left(), merge.right()), ((long) rank << 32) | merge.merged());
        }
    }

    /** The token ids of {@code text}; no special tokens are added. */
    public long[] encode(String text) {
        LongStream.Builder ids = LongStream.builder();
        Matcher special = SpecialTokens.pattern().matcher(text);
        int start = 0;
        while (special.find()) {
            encodeOrdinary(text.substring(start, special.start()), ids);
            ids.add(SpecialTokens.id(special.group()));
            start = special.end();
        }
        encodeOrdinary(text.substring(start), ids);
        return ids.build().toArray();
    }

    private void encodeOrdinary(String text, LongStream.Builder ids) {
        ByteLevelPreTokenizer.forEachWord(text, word -> {
            for (int id : encodeWord(word)) {
                ids.add(id);
            }
        });
    }

    /** The tokens of one pre-tokenized word. */
    int[] encodeWord(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = BpeModel.byteId(bytes[i]);
        }
        int length = tokens.length;
        while (length > 1) {
            long best = Long.MAX_VALUE;
            int left = -1;
            int right = -1;
            for (int i = 0; i + 1 < length; i++) {
                Long rank = ranks.get(WordPairs.key(tokens[i], tokens[i + 1]));
                if (rank != null && rank < best) {
                    best = rank;
                    left = tokens[i];
                    right = tokens[i + 1];
                }
            }
            if (left < 0) {
                break;
            }
            length = mergeAll(tokens, length, left, right, (int) best);
        }
        return Arrays.copyOf(tokens, length);
    }

    private static int mergeAll(int[] tokens, int length, int left, int right, int merged) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (i + 1 < length && tokens[i] == left && tokens[i + 1] == right) {
                tokens[n++] = merged;
                i++;
            } else {
                tokens[n++] = tokens[i];
            }
        }
        return n;
    }
}
