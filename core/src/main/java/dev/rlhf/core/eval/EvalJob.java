package dev.rlhf.core.eval;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.runs.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An evaluation, as a numbered recipe: 1 read the held-out prompts; 2 every model answers them with the same seed (KL
 * to the reference measured on the way); 3 the reward model scores every answer; 4 the LLM judge compares each
 * candidate's answers with the baseline's, both orders; 5 {@code eval.json} and {@code eval.md}. A step is reported
 * to the job's context after each model and judge; the headline figures are the last report and a line of
 * {@code metrics.jsonl}.
 */
final class EvalJob implements PreparedJob {

    private final EvalConfig config;
    private final ComposedConfig composed;
    private final RunDirectory run;

    EvalJob(EvalConfig config, ComposedConfig composed, RunDirectory run) {
        this.config = config;
        this.composed = composed;
        this.run = run;
    }

    @Override
    public Path runDir() {
        return run.path();
    }

    @Override
    public void run(JobContext context) {
        long start = System.nanoTime();
        run.writeConfig(config, composed);
        List<String> prompts = EvalPrompts.of(config.prompts());
        int models = config.models().size();
        long steps = models + 2;
        List<List<Answer>> answers = new ArrayList<>();
        AnswerSampler sampler =
                new AnswerSampler(config.generation(), config.prompts().maxPromptTokens());
        try (LanguageModel reference = config.reference()
                .map(name -> HfCheckpoint.load(config.model(name).path()))
                .orElse(null)) {
            for (EvalConfig.ModelEntry model : config.models()) {
                if (context.cancelled()) {
                    return;
                }
                answers.add(sampler.answers(model.path(), prompts, Optional.ofNullable(reference)));
                context.report(answers.size(), steps, Map.of("eval/answered", answers.size()));
            }
        }
        double[][] rewards = config.judges()
                .rewardModel()
                .map(rm -> RewardModelJudge.rewards(rm, prompts, answers))
                .orElse(null);
        context.report(models + 1, steps, Map.of("eval/judged_by_reward_model", rewards == null ? 0 : 1));
        List<Comparison> comparisons = new ArrayList<>();
        Optional<LlmJudge> llm = config.judges()
                .llm()
                .baseUrl()
                .map(url -> new LlmJudge(config.judges().llm()));
        for (int c = 1; c < models && !context.cancelled(); c++) {
            List<LlmVerdict> verdicts =
                    llm.isPresent() ? llm.get().judge(prompts, answers.get(0), answers.get(c)) : null;
            comparisons.add(Comparison.of(
                    config.models().get(0).name(),
                    config.models().get(c).name(),
                    rows(prompts, answers.get(0), answers.get(c), rewards, c, verdicts)));
        }
        List<ModelSummary> summaries = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            summaries.add(ModelSummary.of(config.models().get(m), answers.get(m), rewards == null ? null : rewards[m]));
        }
        EvalReport report = new EvalReport(
                prompts.size(),
                EvalReport.INTERVAL,
                config.generation(),
                config.judges()
                        .llm()
                        .baseUrl()
                        .map(url -> config.judges().llm().model() + " at " + url)
                        .orElse(null),
                summaries,
                comparisons,
                (System.nanoTime() - start) / 1e9);
        report.write(run.path());
        Map<String, Object> figures = headline(report);
        run.metrics().append(figures);
        context.report(steps, steps, figures);
        run.markFinished(steps);
    }

    private static List<Comparison.PromptRow> rows(
            List<String> prompts,
            List<Answer> baseline,
            List<Answer> candidate,
            double[][] rewards,
            int c,
            List<LlmVerdict> verdicts) {
        List<Comparison.PromptRow> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            rows.add(new Comparison.PromptRow(
                    prompts.get(i),
                    baseline.get(i).response(),
                    candidate.get(i).response(),
                    rewards == null ? null : rewards[0][i],
                    rewards == null ? null : rewards[c][i],
                    rewards == null ? null : RewardModelJudge.outcome(rewards[0][i], rewards[c][i]),
                    verdicts == null ? null : verdicts.get(i)));
        }
        return rows;
    }

    /** Win rates and mean figures, keyed {@code eval/<judge>/win_rate/<candidate>} and {@code eval/<figure>/<model>}. */
    static Map<String, Object> headline(EvalReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", 1);
        for (Comparison c : report.comparisons()) {
            if (c.rewardModel() != null) {
                out.put(
                        "eval/reward_model/win_rate/" + c.candidate(),
                        c.rewardModel().winRate());
            }
            if (c.llm() != null) {
                out.put("eval/llm/win_rate/" + c.candidate(), c.llm().winRate());
                out.put("eval/llm/invalid/" + c.candidate(), c.llm().invalid());
            }
        }
        for (ModelSummary m : report.models()) {
            out.put("eval/mean_reward/" + m.name(), m.meanReward());
            out.put("eval/mean_kl/" + m.name(), m.meanKl());
        }
        return out;
    }
}
