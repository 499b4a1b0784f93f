package dev.rlhf.cli.pipeline;

import dev.rlhf.core.eval.EvalReport;
import dev.rlhf.core.ppo.PpoConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pipeline's last stage, an evaluation job ({@code ./rlhf eval}): held-out PPO prompts (rows after the ones PPO
 * drew from) answered by the SFT policy and the RL policy with one seed, sampled as PPO samples, judged by the reward
 * model (KL to the SFT policy, the reference) and by an LLM judge when the stage's {@code eval.set} names one
 * ({@code judges.llm.base_url=...}). Its figures go into the summary.
 */
final class PipelineEvaluation {

    private PipelineEvaluation() {}

    /** The overrides that point the eval job at the pipeline's models and prompts. */
    static List<String> wiring(PipelineConfig config, PpoConfig ppo, Path sft, Path rl, Path rewardModel) {
        List<String> wiring = new ArrayList<>(List.of(
                "prompts.path=" + ppo.prompts().path(),
                "prompts.skip=" + ppo.prompts().size(),
                "prompts.split=" + config.samples().prompts(),
                "prompts.seed=" + config.seed(),
                "prompts.count=0",
                "prompts.max_prompt_tokens=" + ppo.prompts().maxPromptTokens(),
                "models=[{name: sft, path: '" + sft + "'}, {name: rl, path: '" + rl + "'}]",
                "reference=sft",
                "judges.reward_model=" + rewardModel,
                "generation.max_new_tokens=" + config.samples().maxNewTokens(),
                "generation.seed=" + config.seed()));
        wiring.add(String.format(
                Locale.ROOT, "generation.temperature=%s", ppo.generation().temperature()));
        wiring.add("generation.top_k=" + ppo.generation().topK());
        wiring.add(String.format(
                Locale.ROOT, "generation.top_p=%s", ppo.generation().topP()));
        return wiring;
    }

    /** The evaluation's figures in the summary: each model's mean reward and KL, RL's win rates with their CI. */
    static void summarise(Path evalRun, PipelineSummary summary) throws java.io.IOException {
        var report = EvalReport.json().readTree(evalRun.resolve("eval.json").toFile());
        var models = report.get("models");
        summary.metric("samples_reward_before", number(models.get(0).get("mean_reward")));
        summary.metric("samples_reward_after", number(models.get(1).get("mean_reward")));
        summary.metric("samples_kl_before", number(models.get(0).get("mean_kl")));
        summary.metric("samples_kl_after", number(models.get(1).get("mean_kl")));
        var rl = report.get("comparisons").get(0);
        for (String judge : List.of("reward_model", "llm")) {
            if (rl.has(judge)) {
                summary.metric(
                        "eval_" + judge + "_win_rate", number(rl.get(judge).get("win_rate")));
                summary.metric(
                        "eval_" + judge + "_win_ci_low",
                        number(rl.get(judge).get("win_ci95").get("low")));
                summary.metric(
                        "eval_" + judge + "_win_ci_high",
                        number(rl.get(judge).get("win_ci95").get("high")));
                summary.metric(
                        "eval_" + judge + "_invalid",
                        rl.get(judge).get("invalid").asDouble());
            }
        }
    }

    private static double number(com.fasterxml.jackson.databind.JsonNode node) {
        return node == null || !node.isNumber() ? Double.NaN : node.asDouble();
    }
}
