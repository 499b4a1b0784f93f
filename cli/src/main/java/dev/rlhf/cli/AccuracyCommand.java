package dev.rlhf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.data.ArithmeticTask;
import dev.rlhf.core.reward.AnswerAccuracy;
import dev.rlhf.core.rollout.PromptPool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "accuracy",
        mixinStandardHelpOptions = true,
        description =
                "Exact-match accuracy of a model on prompts with reference answers (JSONL {\"prompt\", \"answer\"}),"
                        + " greedy decoding; prints {\"accuracy\", \"correct\", \"prompts\"}.")
final class AccuracyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory (Hugging Face layout).")
    Path model;

    @Option(names = "--prompts", required = true, description = "JSONL prompts, each with an 'answer' field.")
    Path prompts;

    @Option(
            names = "--marker",
            defaultValue = ArithmeticTask.MARKER,
            description = "Text before the answer" + " (default '${DEFAULT-VALUE}'); the last occurrence counts.")
    String marker;

    @Option(names = "--size", defaultValue = "0", description = "Prompts read from the file (0: all).")
    int size;

    @Option(names = "--max-new-tokens", defaultValue = "32", description = "Default ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--max-prompt-tokens", defaultValue = "64", description = "Default ${DEFAULT-VALUE}.")
    int maxPromptTokens;

    @Option(names = "--batch-size", defaultValue = "64", description = "Prompts generated together.")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        PromptPool pool = PromptPool.read(prompts, size);
        pool.requireAnswers("--prompts");
        try (LoadedModel loaded = LoadedModel.open(model)) {
            AnswerAccuracy.Result result = AnswerAccuracy.greedy(
                    loaded.model(), loaded.tokenizer(), pool.all(), marker, maxNewTokens, maxPromptTokens, batchSize);
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("accuracy", result.accuracy());
            out.put("correct", result.correct());
            out.put("prompts", result.graded().size());
            spec.commandLine().getOut().println(out);
        }
        return 0;
    }
}
