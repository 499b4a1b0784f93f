package dev.rlhf.core.data;

import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.MaskedTokens;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The data of an SFT or pretraining job, tokenised: all examples (numbered globally, dataset after dataset), the mixer
 * that picks each epoch's training examples and the fixed evaluation set, and the stats.
 *
 * @param examples every example of every dataset, training and evaluation alike
 * @param mixer the per-epoch training order and the evaluation indices
 * @param stats rows, examples and tokens per dataset and split
 */
public record SftData(List<MaskedTokens> examples, DatasetMixer mixer, DatasetStats stats) {
    public SftData {
        examples = List.copyOf(examples);
    }

    /**
     * Reads and tokenises every dataset: conversations through the model's chat template ({@link ChatTemplate#of})
     * cut to {@code seqLen} (SFT), or text cut into {@code seqLen} blocks ({@code pretrain}); then splits and mixes
     * them with {@code seed}.
     *
     * @throws dev.rlhf.core.tokenizer.ChatTemplateException in SFT when the tokenizer has no chat template, or it
     *     fails on a conversation
     * @throws DataException naming the dataset and the template when a dataset's loss masks come out all zeros or all
     *     ones
     */
    public static SftData load(List<DatasetSpec> specs, Tokenizer tokenizer, int seqLen, boolean pretrain, long seed) {
        ChatTemplate template = pretrain ? null : ChatTemplate.of(tokenizer);
        MixedDatasets<MaskedTokens> mixed = MixedDatasets.of(
                specs,
                spec -> pretrain ? readText(spec, tokenizer, seqLen) : readChats(spec, template, tokenizer, seqLen),
                MaskedTokens::length,
                seed);
        return new SftData(mixed.examples(), mixed.mixer(), mixed.stats());
    }

    /** Batches of the training examples, a different draw each epoch; packed into seq_len rows with {@code packing}. */
    public Batcher<? extends TokenBatch> trainBatcher(int batchSize, boolean packing, int seqLen, long padId) {
        return packing
                ? new PackedBatcher(examples, mixer::epoch, batchSize, seqLen, padId)
                : new PaddedBatcher(examples, mixer::epoch, batchSize, padId);
    }

    /** Batches of the evaluation examples, the same for every epoch. */
    public Batcher<? extends TokenBatch> evalBatcher(int batchSize, boolean packing, int seqLen, long padId) {
        int[] eval = mixer.eval();
        return packing
                ? new PackedBatcher(examples, epoch -> eval, batchSize, seqLen, padId)
                : new PaddedBatcher(examples, epoch -> eval, batchSize, padId);
    }

    private static MixedDatasets.Loaded<MaskedTokens> readChats(
            DatasetSpec spec, ChatTemplate template, Tokenizer tokenizer, int seqLen) {
        DatasetFile<List<ChatMessage>> file =
                DatasetReader.conversations(spec.path(), spec.format(), spec.skipBadLines());
        List<MaskedTokens> examples = new ArrayList<>(file.rows().size());
        int truncated = 0;
        for (List<ChatMessage> chat : file.rows()) {
            MaskedTokens encoded = template.encode(tokenizer, chat);
            truncated += encoded.length() > seqLen ? 1 : 0;
            examples.add(SftExamples.truncate(encoded, seqLen));
        }
        checkMasks(spec, template, examples, seqLen);
        return new MixedDatasets.Loaded<>(file.format(), file.rows().size(), file.skippedLines(), truncated, examples);
    }

    /** A dataset that trains on nothing, or on prompts too, is a template or data mistake: stop before training. */
    private static void checkMasks(DatasetSpec spec, ChatTemplate template, List<MaskedTokens> examples, int seqLen) {
        long tokens = examples.stream().mapToLong(MaskedTokens::length).sum();
        long trained = examples.stream().mapToLong(MaskedTokens::lossTokens).sum();
        if (tokens > 0 && (trained == 0 || trained == tokens)) {
            throw new DataException(spec.path() + ": the loss mask is all " + (trained == 0 ? "zeros" : "ones")
                    + " over " + examples.size() + " conversations with the chat template of " + template.origin()
                    + (trained == 0 ? " (no assistant turns, or none within seq_len " + seqLen + ")" : ""));
        }
    }

    private static MixedDatasets.Loaded<MaskedTokens> readText(DatasetSpec spec, Tokenizer tokenizer, int seqLen) {
        DatasetFile<String> file = DatasetReader.texts(spec.path(), spec.format(), spec.skipBadLines());
        List<MaskedTokens> blocks = SftExamples.blocks(tokenizer, file.rows(), seqLen);
        return new MixedDatasets.Loaded<>(file.format(), file.rows().size(), file.skippedLines(), 0, blocks);
    }
}
