package dev.rlhf.rl.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;

/** Settings of the PPO trainer service. */
@ConfigMapping(prefix = "rl")
public interface RlServiceConfig {

    /** Directories where named PPO configs ({@code ?configs=tiny-ppo}) are looked up. */
    @WithDefault("configs/ppo")
    List<Path> configDirs();

    /** Directories where named evaluation configs ({@code ?kind=eval&configs=tiny}) are looked up. */
    @WithDefault("configs/eval")
    List<Path> evalConfigDirs();

    /** The inference gateway's runnable jar, started for {@code scoring.endpoint: embedded}. */
    @WithDefault("inference-gateway/target/quarkus-app/quarkus-run.jar")
    Path gatewayJar();
}
