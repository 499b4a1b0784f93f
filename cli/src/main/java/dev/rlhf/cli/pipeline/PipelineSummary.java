package dev.rlhf.cli.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a pipeline run achieved, stage by stage: wall time and run directory of each stage, SFT eval loss, RM held-out
 * accuracy, PPO's mean reward and KL at its first and last iteration, and the evaluation's: the held-out answers'
 * reward and KL from the SFT and the PPO policy, and the PPO policy's win rate against the SFT policy per judge. Written as {@code summary.md} (the table the command prints) and {@code summary.json}.
 */
final class PipelineSummary {

    /** One stage: its name, wall seconds, and run directory (absent for stages that write none). */
    record Stage(
            String name,
            double seconds,
            @JsonProperty("run_dir") String runDir) {}

    private final List<Stage> stages = new java.util.ArrayList<>();
    private final Map<String, Double> metrics = new LinkedHashMap<>();

    void stage(String name, double seconds, Path runDir) {
        stages.add(new Stage(name, seconds, runDir == null ? "-" : runDir.toString()));
    }

    /** A figure; {@code NaN} when its stage was skipped. */
    void metric(String name, double value) {
        metrics.put(name, value);
    }

    double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    List<Stage> stages() {
        return List.copyOf(stages);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| stage | wall time | run directory |\n|---|---:|---|\n");
        double total = 0;
        for (Stage s : stages) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f s | %s |%n", s.name(), s.seconds(), s.runDir()));
            total += s.seconds();
        }
        md.append(String.format(Locale.ROOT, "| total | %.1f s | |%n%n", total));
        md.append("| result | value |\n|---|---|\n");
        row(md, "SFT eval loss", value("sft_eval_loss"), "sft_eval_loss");
        row(md, "RM held-out accuracy", value("rm_eval_accuracy"), "rm_eval_accuracy");
        row(
                md,
                "PPO mean reward, first -> last iteration",
                pair("ppo_reward_first", "ppo_reward_last"),
                "ppo_reward_first");
        row(md, "PPO KL to reference, first -> last iteration", pair("ppo_kl_first", "ppo_kl_last"), "ppo_kl_first");
        row(
                md,
                "RL seconds per iteration (workers' generate / score, learner's train)",
                value("ppo_iteration_s") + " (" + value("ppo_generate_s") + " / " + value("ppo_score_s") + " / "
                        + value("ppo_train_s") + ")",
                "ppo_iteration_s");
        row(
                md,
                "held-out samples: RM reward, before -> after PPO",
                pair("samples_reward_before", "samples_reward_after"),
                "samples_reward_before");
        row(
                md,
                "held-out samples: KL to reference, before -> after PPO",
                pair("samples_kl_before", "samples_kl_after"),
                "samples_kl_before");
        row(
                md,
                "held-out exact-match accuracy, before -> after RL",
                pair("heldout_accuracy_before", "heldout_accuracy_after"),
                "heldout_accuracy_before");
        row(
                md,
                "held-out: PPO vs SFT win rate by the RM [95% Wilson CI]",
                winRate("reward_model"),
                "eval_reward_model_win_rate");
        row(md, "held-out: PPO vs SFT win rate by the LLM judge [95% Wilson CI]", winRate("llm"), "eval_llm_win_rate");
        return md.toString();
    }

    /**
     * A result row, when its stage ran ({@code key} was recorded, perhaps as NaN: then "skipped"); a stage the run
     * never had (no reward model for a rule-reward task, no LLM judge) has no row.
     */
    private void row(StringBuilder md, String name, String value, String key) {
        if (metrics.containsKey(key)) {
            md.append("| ").append(name).append(" | ").append(value).append(" |\n");
        }
    }

    private String value(String key) {
        double v = metric(key);
        return Double.isNaN(v) ? "skipped" : String.format(Locale.ROOT, "%.3f", v);
    }

    private String winRate(String judge) {
        String key = "eval_" + judge + "_win";
        return value(key + "_rate") + " [" + value(key + "_ci_low") + ", " + value(key + "_ci_high") + "]";
    }

    private String pair(String before, String after) {
        return value(before) + " -> " + value(after);
    }

    /** Writes {@code summary.md} and {@code summary.json} into {@code dir}. */
    void write(Path dir) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stages", stages);
        Map<String, Object> figures = new LinkedHashMap<>();
        metrics.forEach((k, v) -> figures.put(k, Double.isNaN(v) ? null : v));
        json.put("results", figures);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.md"), markdown(), StandardCharsets.UTF_8);
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve("summary.json").toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pipeline summary into " + dir, e);
        }
    }
}
