package dev.rlhf.cli;

import dev.rlhf.core.jobs.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every training command shares: which configs to compose, overrides, debug and tags. */
final class JobOptions {

    @Option(
            names = "--configs",
            arity = "1..*",
            paramLabel = "NAME",
            description = "Configs composed in order over the defaults, later wins (names in --config-dir, or files).")
    List<String> configs = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one key, e.g. train.lr=1e-4; repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--debug", description = "Write the run into the <project>-debug project.")
    boolean debug;

    @Option(names = "--tag", arity = "1..*", paramLabel = "TAG", description = "Tags stored in config.yaml.")
    List<String> tags = new ArrayList<>();

    @Option(
            names = "--config-file",
            paramLabel = "FILE",
            description = "A YAML or JSON config composed after --configs.")
    Path configFile;

    JobSpec spec() throws java.io.IOException {
        List<String> all = new ArrayList<>(overrides);
        if (debug) {
            all.add("debug=true");
        }
        if (!tags.isEmpty()) {
            all.add("tags=[" + String.join(", ", tags) + "]");
        }
        String body = configFile == null ? "" : Files.readString(configFile);
        return new JobSpec(configs, body, all);
    }
}
