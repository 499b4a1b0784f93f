package dev.rlhf.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.model.LogProbs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "logprobs",
        mixinStandardHelpOptions = true,
        description = "Print {\"ids\": [...], \"logprobs\": [...]} where logprobs[i] = log p(ids[i+1] | ids[0..i]).")
final class LogprobsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory (Hugging Face layout).")
    Path model;

    @Mixin
    AdapterOption adapter;

    @ArgGroup(multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", description = "Text, tokenised with the model's tokenizer.")
        String text;

        @Option(names = "--ids", split = ",", description = "Token ids, comma separated.")
        long[] ids;
    }

    @Override
    public Integer call() throws Exception {
        try (LoadedModel loaded = LoadedModel.open(model, adapter);
                NDManager m = loaded.model().manager().newSubManager()) {
            long[] ids = input.ids != null ? input.ids : loaded.tokenizer().encode(input.text);
            checkIds(ids, loaded.model().config().vocabSize());
            NDArray row = m.create(ids).reshape(1, ids.length);
            NDArray mask = m.create(filled(ids.length)).reshape(1, ids.length);
            LanguageModel lm = loaded.model();
            float[] logprobs = LogProbs.ofNextTokens(lm.block(), lm.inferenceStore(), new NDList(row, mask), false)
                    .toFloatArray();
            ObjectMapper json = new ObjectMapper();
            ObjectNode out = json.createObjectNode();
            Arrays.stream(ids).forEach(out.putArray("ids")::add);
            ArrayNode values = out.putArray("logprobs");
            for (float lp : logprobs) {
                values.add(lp);
            }
            spec.commandLine().getOut().println(json.writeValueAsString(out));
        }
        return 0;
    }

    private static void checkIds(long[] ids, int vocabSize) {
        if (ids.length < 2) {
            throw new IllegalArgumentException("--ids/--text: need at least 2 tokens, got " + ids.length);
        }
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(
                        "--ids: token id " + id + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
    }

    private static long[] filled(int n) {
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        return ones;
    }
}
