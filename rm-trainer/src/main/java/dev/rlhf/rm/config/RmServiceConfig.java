package dev.rlhf.rm.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;

/** Settings of the reward-model service. */
@ConfigMapping(prefix = "rm")
public interface RmServiceConfig {

    /** Directories where named configs ({@code ?configs=tiny-rm,hh-rm}) are looked up. */
    @WithDefault("configs/rm")
    List<Path> configDirs();
}
