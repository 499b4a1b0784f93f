package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The data of a reward-model job, tokenised: every ranked example (numbered globally, dataset after dataset), the
 * mixer that picks each epoch's training examples and the fixed evaluation set, and the stats.
 *
 * <p>Each reply is laid out with its prompt in the model's own chat template ({@link ChatLayout}), the layout the
 * serving gateway scores. A
 * sequence longer than {@code seq_len} keeps its last {@code seq_len} tokens: the end of the reply, where the reward
 * is read, survives, and the start of a long dialogue is what is cut.
 *
 * @param examples every example of every dataset, training and evaluation alike
 * @param mixer the per-epoch training order and the evaluation indices
 * @param stats rows, examples and tokens per dataset and split ({@code truncated} counts sequences)
 */
public record RmData(List<RankedExample> examples, DatasetMixer mixer, DatasetStats stats) {
    public RmData {
        examples = List.copyOf(examples);
    }

    /** Reads and tokenises every dataset, then splits and mixes them with {@code seed}. */
    public static RmData load(
            List<DatasetSpec> specs, Tokenizer tokenizer, int seqLen, long seed, Optional<String> marginColumn) {
        ChatLayout layout = ChatLayout.of(tokenizer);
        MixedDatasets<RankedExample> mixed =
                MixedDatasets.of(specs, spec -> read(spec, layout, seqLen, marginColumn), RankedExample::tokens, seed);
        return new RmData(mixed.examples(), mixed.mixer(), mixed.stats());
    }

    /** Batches of the training examples, a different draw each epoch. */
    public PairBatcher trainBatcher(int batchSize, long padId) {
        return new PairBatcher(examples, mixer::epoch, batchSize, padId);
    }

    /** Batches of the evaluation examples, the same for every epoch. */
    public PairBatcher evalBatcher(int batchSize, long padId) {
        int[] eval = mixer.eval();
        return new PairBatcher(examples, epoch -> eval, batchSize, padId);
    }

    /**
     * The best completion of the training examples (the whole training split, before per-epoch sampling), or of
     * {@code limit} of them drawn with {@code seed}: what reward statistics are taken over.
     */
    public List<long[]> trainBest(Optional<Integer> limit, long seed) {
        int[] train = mixer.train();
        if (limit.isPresent() && limit.get() < train.length) {
            train = Arrays.copyOf(Seeds.shuffle(train.clone(), Seeds.derive(seed, Seeds.STATS)), limit.get());
        }
        return Arrays.stream(train)
                .mapToObj(i -> examples.get(i).completions().get(0))
                .toList();
    }

    private static MixedDatasets.Loaded<RankedExample> read(
            DatasetSpec spec, ChatLayout layout, int seqLen, Optional<String> marginColumn) {
        DatasetFile<RankedReplies> file =
                DatasetReader.rankings(spec.path(), spec.format(), spec.skipBadLines(), marginColumn);
        List<RankedExample> examples = new ArrayList<>(file.rows().size());
        int truncated = 0;
        for (RankedReplies row : file.rows()) {
            List<long[]> completions = new ArrayList<>(row.replies().size());
            for (String reply : row.replies()) {
                long[] ids = layout.reply(row.prompt(), reply);
                truncated += ids.length > seqLen ? 1 : 0;
                completions.add(ids.length > seqLen ? Arrays.copyOfRange(ids, ids.length - seqLen, ids.length) : ids);
            }
            examples.add(new RankedExample(completions, row.margin()));
        }
        return new MixedDatasets.Loaded<>(file.format(), file.rows().size(), file.skippedLines(), truncated, examples);
    }
}
