package dev.rlhf.cli.pipeline;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.eval.EvalJobRunner;
import dev.rlhf.core.jobs.JobContext;
import dev.rlhf.core.jobs.JobRunner;
import dev.rlhf.core.jobs.JobSpec;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.model.LanguageModel;
import dev.rlhf.core.ppo.PpoConfig;
import dev.rlhf.core.reward.AnswerAccuracy;
import dev.rlhf.core.rm.RmJobRunner;
import dev.rlhf.core.rollout.PromptPool;
import dev.rlhf.core.runs.MetricsLog;
import dev.rlhf.core.runs.RunDirectory;
import dev.rlhf.core.sft.SftJobRunner;
import dev.rlhf.core.tokenizer.BpeTrainer;
import dev.rlhf.core.tokenizer.Tokenizer;
import dev.rlhf.core.tokenizer.TokenizerJsonWriter;
import dev.rlhf.rl.job.PpoJobRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole chain, each stage the job a user would run by hand: a BPE tokenizer, a pretrained tiny model, SFT, the
 * reward model, PPO (which exports the reward and reference models to a Triton repository and serves them with the
 * gateway, over an in-process Kafka broker when so configured), then an evaluation job: the same held-out prompts
 * answered by the SFT and the PPO policy, judged by the reward model (and an LLM judge when configured). Stages pass their checkpoints on through config overrides; a stage given a model of the user's own
 * ({@code base_model}, {@code policy}, {@code reward_model}) is skipped. Every stage resumes as its job does, so a
 * killed pipeline run again continues where it stopped.
 */
public final class Pipeline {

    private static final int MAX_PROMPT_TOKENS = 256;
    private static final int ACCURACY_BATCH = 64;

    private final PipelineConfig config;
    private final ComposedConfig composed;
    private final Path configRoot;
    private final Path gatewayJar;
    private final StageOverrides stageOverrides;
    private final PrintWriter out;
    private final JobContext progress;
    private final Path dir;
    private final PipelineSummary summary = new PipelineSummary();

    /**
     * @param configRoot where named stage configs live ({@code <root>/sft}, {@code <root>/rm}, {@code <root>/ppo})
     * @param progress what each stage's job reports to (a progress bar on a terminal)
     */
    public Pipeline(
            PipelineConfig config,
            ComposedConfig composed,
            Path configRoot,
            Path gatewayJar,
            StageOverrides stageOverrides,
            PrintWriter out,
            JobContext progress) {
        this.stageOverrides = stageOverrides;
        this.config = config;
        this.composed = composed;
        this.configRoot = configRoot;
        this.gatewayJar = gatewayJar;
        this.out = out;
        this.progress = progress;
        this.dir = config.outputDir().resolve("pipeline").resolve(config.exp());
    }

    /** The pipeline's run directory: the stages' runs, {@code summary.md}, {@code summary.json}. */
    public Path dir() {
        return dir;
    }

    /** Runs every stage; returns the summary table (also written to {@link #dir()}). */
    public String run() throws Exception {
        RunDirectory.open(dir).writeConfig(config, composed);
        Path policy = config.policy().isPresent() ? config.policy().get() : fineTuned();
        Optional<Path> rewardModel = config.rewardModel().isPresent()
                ? config.rewardModel()
                : config.rm().configs().isEmpty() ? Optional.empty() : Optional.of(rewardModel(policy));
        ppoThenEval(policy, rewardModel);
        summary.write(dir);
        return summary.markdown();
    }

    /** Tokenizer and pretraining (unless a base model is given), then SFT; returns the SFT checkpoint. */
    private Path fineTuned() throws Exception {
        Optional<Path> base = config.baseModel();
        Path tokenizer = null;
        if (base.isEmpty()) {
            tokenizer = tokenizer();
            if (!config.pretrain().configs().isEmpty()) {
                base = Optional.of(
                        best(train("pretrain", sft(), config.pretrain(), List.of("model.tokenizer=" + tokenizer))));
            }
        }
        List<String> from = base.map(Pipeline::fromModel).orElse(List.of("model.tokenizer=" + tokenizer));
        Path sftRun = train("sft", sft(), config.sft(), from);
        summary.metric("sft_eval_loss", last(sftRun, "eval_loss"));
        return best(sftRun);
    }

    /** The reward model trained from the SFT policy's weights; returns its checkpoint. */
    private Path rewardModel(Path policy) throws Exception {
        Path rmRun = train("rm", new RmJobRunner(List.of(configRoot.resolve("rm"))), config.rm(), fromModel(policy));
        summary.metric("rm_eval_accuracy", last(rmRun, "eval_accuracy"));
        return best(rmRun);
    }

    /**
     * Held-out accuracy of the SFT policy (when configured), RL, then the evaluation of the tuned policy against the
     * SFT policy by the reward model ({@link PipelineEvaluation}; skipped when the task has none) and its held-out
     * accuracy; figures into the summary.
     */
    private void ppoThenEval(Path policy, Optional<Path> rewardModel) throws Exception {
        List<String> wiring = new ArrayList<>(List.of("policy.path=" + policy));
        rewardModel.ifPresent(rm -> wiring.add("policy.reward_model=" + rm));
        PpoConfig ppo = PpoConfig.loader()
                .load(
                        List.of(configRoot.resolve("ppo")),
                        config.ppo().configs(),
                        with(with(config.ppo().set(), stageOverrides.forStage("ppo")), wiring))
                .bind(PpoConfig.class);
        AnswerAccuracy.Result accuracyBefore = accuracy("accuracy before RL", policy);
        Path ppoRun =
                train("ppo", new PpoJobRunner(List.of(configRoot.resolve("ppo")), gatewayJar), config.ppo(), wiring);
        Path tuned = ppoRun.resolve("checkpoints").resolve("last").resolve("policy");
        AnswerAccuracy.Result accuracyAfter = accuracy("accuracy after RL", tuned);
        if (rewardModel.isPresent()) {
            Path evalRun = train(
                    "eval",
                    new EvalJobRunner(List.of(configRoot.resolve("eval"))),
                    config.eval(),
                    PipelineEvaluation.wiring(config, ppo, policy, tuned, rewardModel.get()));
            PipelineEvaluation.summarise(evalRun, summary);
        }

        List<Map<String, Object>> iterations = new MetricsLog(ppoRun.resolve("metrics.jsonl")).read();
        Map<String, Object> first = iterations.get(0);
        Map<String, Object> lastIteration = iterations.get(iterations.size() - 1);
        summary.metric("ppo_reward_first", number(first, "objective/scores"));
        summary.metric("ppo_reward_last", number(lastIteration, "objective/scores"));
        summary.metric("ppo_kl_first", number(first, "objective/kl"));
        summary.metric("ppo_kl_last", number(lastIteration, "objective/kl"));
        // where an iteration's time went: the workers' generation and scoring, the learner's update
        summary.metric("ppo_iteration_s", mean(iterations, "time/rollouts") + mean(iterations, "time/train"));
        summary.metric("ppo_generate_s", mean(iterations, "time/generate"));
        summary.metric("ppo_score_s", mean(iterations, "time/score"));
        summary.metric("ppo_train_s", mean(iterations, "time/train"));
        if (accuracyBefore != null) {
            summary.metric("heldout_accuracy_before", accuracyBefore.accuracy());
            summary.metric("heldout_accuracy_after", accuracyAfter.accuracy());
            HeldOutAnswers.write(
                    dir.resolve("accuracy.md"),
                    accuracyBefore,
                    accuracyAfter,
                    config.samples().prompts());
        }
    }

    /** The policy's greedy exact-match accuracy on {@code accuracy.prompts}; null when that is not configured. */
    private AnswerAccuracy.Result accuracy(String stage, Path model) throws Exception {
        PipelineConfig.AccuracySettings settings = config.accuracy();
        if (settings.prompts().isEmpty()) {
            return null;
        }
        PromptPool prompts = PromptPool.read(settings.prompts().get(), 0);
        prompts.requireAnswers("accuracy.prompts");
        return timed(stage, () -> {
            try (LanguageModel policy = HfCheckpoint.load(model);
                    Tokenizer tokenizer = Tokenizer.load(model)) {
                return AnswerAccuracy.measure(
                        policy,
                        tokenizer,
                        prompts.all(),
                        settings.marker(),
                        settings.maxNewTokens(),
                        MAX_PROMPT_TOKENS,
                        ACCURACY_BATCH,
                        AnswerAccuracy.Decoding.greedy());
            }
        });
    }

    private SftJobRunner sft() {
        return new SftJobRunner(List.of(configRoot.resolve("sft")));
    }

    private Path tokenizer() {
        if (config.tokenizer().path().isPresent()) {
            return config.tokenizer().path().get();
        }
        Path tokenizerDir = dir.resolve("tokenizer");
        if (Files.isRegularFile(tokenizerDir.resolve("tokenizer.json"))) {
            out.println("== tokenizer: " + tokenizerDir + " (already trained)");
            summary.stage("tokenizer", 0, tokenizerDir);
            return tokenizerDir;
        }
        out.println("== tokenizer: " + tokenizerDir);
        long start = System.nanoTime();
        Path corpus = TokenizerCorpus.write(config.tokenizer().corpus(), dir.resolve("tokenizer-corpus.txt"));
        TokenizerJsonWriter.write(
                BpeTrainer.train(List.of(corpus), config.tokenizer().vocabSize()), tokenizerDir);
        summary.stage("tokenizer", seconds(start), tokenizerDir);
        return tokenizerDir;
    }

    /** Runs one training stage: its named configs and overrides, then the pipeline's wiring; returns its run dir. */
    private Path train(String stage, JobRunner runner, PipelineConfig.Stage settings, List<String> wiring)
            throws Exception {
        List<String> overrides = with(with(settings.set(), stageOverrides.forStage(stage)), wiring);
        overrides.add("output_dir=" + dir);
        overrides.add("exp=" + stage);
        PreparedJob job = runner.prepare(new JobSpec(settings.configs(), "", overrides));
        out.println("== " + stage + ": " + job.runDir());
        out.flush();
        long start = System.nanoTime();
        job.run(progress);
        out.println();
        summary.stage(stage, seconds(start), job.runDir());
        return job.runDir();
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T timed(String stage, Step<T> step) throws Exception {
        out.println("== " + stage);
        long start = System.nanoTime();
        T result = step.run();
        summary.stage(stage, seconds(start), null);
        return result;
    }

    /** Overrides that start a stage from a model directory instead of a fresh init. */
    private static List<String> fromModel(Path model) {
        return List.of("model.path=" + model, "model.init=null", "model.tokenizer=null");
    }

    private static List<String> with(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    /** The mean of {@code key} over the metrics records that hold it. */
    private static double mean(List<Map<String, Object>> records, String key) {
        return records.stream()
                .filter(r -> r.get(key) instanceof Number)
                .mapToDouble(r -> ((Number) r.get(key)).doubleValue())
                .average()
                .orElse(Double.NaN);
    }

    /** A run's best checkpoint, or its last when it never evaluated. */
    private static Path best(Path runDir) {
        Path best = runDir.resolve("checkpoints").resolve("best");
        return Files.isDirectory(best) ? best : runDir.resolve("checkpoints").resolve("last");
    }

    /** The last value of {@code key} in a run's metrics, NaN when never logged. */
    private static double last(Path runDir, String key) {
        List<Map<String, Object>> records = new MetricsLog(runDir.resolve("metrics.jsonl")).read();
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).get(key) instanceof Number n) {
                return n.doubleValue();
            }
        }
        return Double.NaN;
    }

    private static double number(Map<String, Object> record, String key) {
        return record.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
