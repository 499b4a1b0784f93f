package dev.rlhf.core.eval;

import dev.rlhf.core.config.ComposedConfig;
import dev.rlhf.core.config.ConfigException;
import dev.rlhf.core.jobs.ConfiguredJobRunner;
import dev.rlhf.core.jobs.PreparedJob;
import dev.rlhf.core.runs.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Evaluation jobs: checks that the prompt file, every model, the reward model and the judge template exist (and the
 * API key's environment variable is set) before a run directory is made.
 */
public final class EvalJobRunner extends ConfiguredJobRunner<EvalConfig> {

    /** @param configDirs where named configs ({@code --configs sft-vs-rl}) are looked up, e.g. configs/eval */
    public EvalJobRunner(List<Path> configDirs) {
        super(configDirs, EvalConfig.class, EvalConfig.loader());
    }

    @Override
    protected void check(EvalConfig config) {
        if (config.prompts().path() == null
                || !Files.isRegularFile(config.prompts().path())) {
            throw new ConfigException(
                    "prompts.path: no such file: " + config.prompts().path());
        }
        for (int i = 0; i < config.models().size(); i++) {
            requireDirectory(config.models().get(i).path(), "models[" + i + "].path");
        }
        config.judges().rewardModel().ifPresent(rm -> requireDirectory(rm, "judges.reward_model"));
        LlmJudgeConfig llm = config.judges().llm();
        if (llm.baseUrl().isPresent()) {
            JudgePrompt.of(llm.template());
            new OpenAiChatClient(llm); // an unset API key variable is refused here
        }
    }

    @Override
    protected PreparedJob job(EvalConfig config, ComposedConfig composed, RunDirectory run) {
        return new EvalJob(config, composed, run);
    }

    private static void requireDirectory(Path path, String key) {
        if (path == null || !Files.isDirectory(path)) {
            throw new ConfigException(key + ": no such model directory: " + path);
        }
    }
}
