package dev.rlhf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rlhf.core.data.ArithmeticTask;
import dev.rlhf.core.reward.AnswerAccuracy;
import dev.rlhf.core.rollout.PromptPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                        + " greedy, or pass@1 over --samples at --temperature; prints {\"accuracy\", \"correct\", \"answers\"}.")
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

    @Option(names = "--temperature", defaultValue = "0", description = "0: greedy (default); else sampled.")
    double temperature;

    @Option(
            names = "--samples",
            defaultValue = "1",
            description = "Answers per prompt when sampling (pass@1 is" + " averaged over them).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed.")
    long seed;

    @Option(
            names = "--answers",
            paramLabel = "FILE",
            description = "Also write each graded answer as JSONL {prompt, reference, response, correct}.")
    Path answers;

    @Override
    public Integer call() throws Exception {
        PromptPool pool = PromptPool.read(prompts, size);
        pool.requireAnswers("--prompts");
        try (LoadedModel loaded = LoadedModel.open(model)) {
            AnswerAccuracy.Result result = AnswerAccuracy.measure(
                    loaded.model(),
                    loaded.tokenizer(),
                    pool.all(),
                    marker,
                    maxNewTokens,
                    maxPromptTokens,
                    batchSize,
                    new AnswerAccuracy.Decoding(temperature, samples, seed));
            ObjectMapper json = new ObjectMapper();
            if (answers != null) {
                List<String> lines = new ArrayList<>();
                for (AnswerAccuracy.Graded g : result.graded()) {
                    lines.add(json.writeValueAsString(g));
                }
                Files.write(answers, lines);
            }
            ObjectNode out = json.createObjectNode();
            out.put("accuracy", result.accuracy());
            out.put("correct", result.correct());
            out.put("answers", result.graded().size());
            spec.commandLine().getOut().println(out);
        }
        return 0;
    }
}
