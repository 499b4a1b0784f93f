package dev.rlhf.rl;

import dev.rlhf.core.cli.JobCommandLine;
import dev.rlhf.rl.config.RlServiceConfig;
import dev.rlhf.rl.job.PpoJobRunner;
import dev.rlhf.rl.pipeline.PipelineCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import java.util.List;

/**
 * The rl-trainer's entry point: with no arguments it serves the job API (the PPO job trigger endpoint); with
 * {@code ppo ...} it runs one PPO job from the command line ({@code ./rlhf ppo --configs tiny-ppo}) and exits; with
 * {@code pipeline ...} the whole chain from tokenizer to PPO ({@code ./rlhf pipeline --configs tiny}).
 */
@QuarkusMain
public class RlMain implements QuarkusApplication {

    private final RlServiceConfig config;

    public RlMain(RlServiceConfig config) {
        this.config = config;
    }

    @Override
    public int run(String... args) {
        if (args.length > 0 && args[0].equals("pipeline")) {
            return PipelineCommand.run(
                    config.configDirs().get(0).getParent(),
                    config.gatewayJar(),
                    Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length == 0 || !args[0].equals("ppo")) {
            Quarkus.waitForExit();
            return 0;
        }
        return JobCommandLine.run(
                "ppo",
                config.configDirs().get(0).toString(),
                dir -> new PpoJobRunner(List.of(dir), config.gatewayJar()),
                Arrays.copyOfRange(args, 1, args.length));
    }
}
