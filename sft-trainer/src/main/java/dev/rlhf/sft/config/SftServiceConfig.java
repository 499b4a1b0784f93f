package dev.rlhf.sft.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;

/** Settings of the SFT service. */
@ConfigMapping(prefix = "sft")
public interface SftServiceConfig {

    /** Directories where named configs ({@code ?configs=tiny-llama,hh-sft}) are looked up. */
    @WithDefault("configs/sft")
    List<Path> configDirs();
}
