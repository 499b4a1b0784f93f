package dev.rlhf.service.jobs.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Settings of the job API that every trainer serves ({@code rlhf.api.*}): security and where job records live. */
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

    /**
     * The network endpoints a job submitted over the API may make the trainer dial ({@code scoring.endpoint},
     * {@code kafka.bootstrap}): {@code host:port}, or {@code host} for any of its ports. Unset: none, only the
     * in-process {@code embedded} servers the shipped configs use. Environment variable:
     * {@code RLHF_API_ENDPOINT_ALLOW_LIST} (comma-separated), e.g. {@code rlhf-gateway:8000,rlhf-kafka-bootstrap:9092}.
     */
    Optional<List<String>> endpointAllowList();

    /**
     * The most memory one job may need, by core's estimate of its peak (weights, gradients, AdamW, activations,
     * attention, logits: {@code MemoryEstimate}); a job over it is a 400 naming {@code train.batch_size} and
     * {@code seq_len}. Unset: three quarters of the machine's (or container's) physical memory. E.g. {@code 12G}.
     * Environment variable: {@code RLHF_API_MEMORY_BUDGET}.
     */
    Optional<MemorySize> memoryBudget();

    /**
     * Where job records are kept, so that a restarted service lists its jobs ({@code GET /jobs}) and can resume the
     * interrupted ones: {@code <state-dir>/<quarkus.application.name>/<id>.json}, so the three trainers run from one
     * directory keep apart. Relative to the working directory. Environment variable: {@code RLHF_API_STATE_DIR}.
     */
    @WithDefault("runs/.jobs")
    Path stateDir();
}
