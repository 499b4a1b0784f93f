package dev.rlhf.cli;

import dev.rlhf.core.eval.EvalJobRunner;
import dev.rlhf.core.jobs.PreparedJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rlhf eval --configs tiny}: held-out prompts answered by two or more models with one seed, judged by a
 * reward model and / or an LLM behind any OpenAI-compatible endpoint; {@code eval.json} and {@code eval.md} in the run
 * directory. The same {@code EvalJobRunner} the rl-trainer's job API runs for {@code kind: eval}.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Win rates of models against the first one on held-out prompts, judged by a reward model "
                + "(judges.reward_model) and / or an LLM (judges.llm.base_url), e.g. --configs tiny. Writes eval.json "
                + "and eval.md into the run directory.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Option(names = "--config-dir", defaultValue = "configs/eval", description = "Default ${DEFAULT-VALUE}.")
    Path configDir;

    @Override
    public Integer call() throws Exception {
        PreparedJob prepared = new EvalJobRunner(List.of(configDir)).prepare(job.spec());
        spec.commandLine().getOut().println("run directory: " + prepared.runDir());
        prepared.run(new ProgressBar(spec.commandLine().getErr()));
        String md = Files.readString(prepared.runDir().resolve("eval.md"));
        int perPrompt = md.indexOf("\n| # |");
        spec.commandLine().getOut().println(perPrompt < 0 ? md : md.substring(0, perPrompt));
        spec.commandLine().getOut().println("\ndone: " + prepared.runDir().resolve("eval.md"));
        return 0;
    }
}
