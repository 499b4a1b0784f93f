package dev.rlhf.core.cli;

import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Continue prompts with a model (batched, KV cache; greedy or sampled).")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory (Hugging Face layout).")
    Path model;

    @Option(names = "--prompt", required = true, description = "Prompt text; repeat for a batch.")
    List<String> prompts;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Default ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 is greedy (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "0 keeps all tokens (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--top-p",
            defaultValue = "1.0",
            description = "Nucleus mass, 1 keeps all (default ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", description = "Stop when the generated text contains this string; repeatable.")
    List<String> stopStrings = new ArrayList<>();

    @Option(names = "--no-kv-cache", description = "Recompute the whole prefix at each step (slow; for checks).")
    boolean noKvCache;

    @Override
    public Integer call() {
        try (LoadedModel loaded = LoadedModel.open(model)) {
            long eos = loaded.tokenizer().eosId();
            SamplingConfig config = new SamplingConfig(
                    maxNewTokens, temperature, topK, topP, seed, Set.of(eos), stopStrings, !noKvCache);
            List<long[]> ids = prompts.stream().map(loaded.tokenizer()::encode).toList();
            Generator generator =
                    new Generator(loaded.model(), tokens -> loaded.tokenizer().decode(tokens));
            List<Generation> out = generator.generate(ids, config);
            for (int i = 0; i < out.size(); i++) {
                String text = loaded.tokenizer().decode(out.get(i).tokens(), true);
                spec.commandLine().getOut().println(prompts.get(i) + text);
                if (out.size() > 1) {
                    spec.commandLine().getOut().println("---");
                }
            }
        }
        return 0;
    }
}
