package dev.rlhf.service.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Security settings of the job API that every trainer serves ({@code rlhf.api.*}). */
@ConfigMapping(prefix = "rlhf.api")
public interface ApiConfig {

    /**
     * The bearer token that requests changing state ({@code POST /jobs}, {@code DELETE /jobs/{id}}) must carry as
     * {@code Authorization: Bearer <token>}; reads stay open. Usually given as the environment variable
     * {@code RLHF_API_TOKEN} (e.g. from a Kubernetes Secret). Unset or empty: no check, anyone who reaches the port can
     * start and cancel jobs.
     */
    Optional<String> token();

    /**
     * The directories that a job submitted over the API may name files in (models, data, tokenizers,
     * {@code output_dir}, checkpoints, prompts, config files given by path); relative ones are resolved against the
     * working directory, like the jobs' own paths. The default, the working directory, admits the
     * shipped configs and data when the service runs from the repository root. Environment variable:
     * {@code RLHF_API_PATH_ROOTS} (comma-separated).
     */
    @WithDefault(".")
    List<Path> pathRoots();
}
