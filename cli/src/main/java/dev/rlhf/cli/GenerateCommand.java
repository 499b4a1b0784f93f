package dev.rlhf.cli;

import dev.rlhf.core.generation.Generation;
import dev.rlhf.core.generation.GenerationDefaults;
import dev.rlhf.core.generation.Generator;
import dev.rlhf.core.generation.SamplingConfig;
import dev.rlhf.core.tokenizer.ChatMessage;
import dev.rlhf.core.tokenizer.ChatTemplate;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Continue prompts with a model (batched, KV cache; greedy or sampled). Sampling settings not"
                + " given default to the model's generation_config.json, whose eos_token_id ids also stop.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model directory (Hugging Face layout).")
    Path model;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--prompt", required = true, description = "Prompt text; repeat for a batch.")
    List<String> prompts;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Default ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(
            names = "--temperature",
            description = "0 is greedy (default: the model's generation_config.json, else greedy).")
    Double temperature;

    @Option(
            names = "--top-k",
            description = "0 keeps all tokens (default: the model's generation_config.json when it samples, else 0).")
    Integer topK;

    @Option(
            names = "--top-p",
            description =
                    "Nucleus mass, 1 keeps all (default: the model's generation_config.json when it samples, else 1).")
    Double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", description = "Stop when the generated text contains this string; repeatable.")
    List<String> stopStrings = new ArrayList<>();

    @Option(names = "--no-kv-cache", description = "Recompute the whole prefix at each step (slow; for checks).")
    boolean noKvCache;

    @Option(
            names = "--chat",
            description = "Send each prompt as a user turn of the model's chat template; stop at its end of turn.")
    boolean chat;

    @Override
    public Integer call() {
        try (LoadedModel loaded = LoadedModel.open(model, adapter)) {
            Tokenizer tokenizer = loaded.tokenizer();
            GenerationDefaults defaults = loaded.generationDefaults();
            ChatTemplate template = chat ? ChatTemplate.of(tokenizer) : null;
            Set<Long> stops = new HashSet<>(defaults.stopTokenIds(Set.of((long) tokenizer.eosId())));
            if (chat) {
                stops.addAll(template.stopIds(tokenizer));
            }
            SamplingConfig config = new SamplingConfig(
                    maxNewTokens,
                    defaults.temperatureOr(temperature),
                    defaults.topKOr(topK),
                    defaults.topPOr(topP),
                    seed,
                    stops,
                    stopStrings,
                    !noKvCache);
            List<long[]> ids = prompts.stream()
                    .map(p -> chat ? template.render(List.of(ChatMessage.user(p)), true) : p)
                    .map(tokenizer::encode)
                    .toList();
            Generator generator =
                    new Generator(loaded.model(), tokens -> loaded.tokenizer().decode(tokens));
            List<Generation> out = generator.generate(ids, config);
            for (int i = 0; i < out.size(); i++) {
                String text = tokenizer.decode(out.get(i).tokens(), true);
                spec.commandLine().getOut().println(chat ? prompts.get(i) + "\n> " + text : prompts.get(i) + text);
                if (out.size() > 1) {
                    spec.commandLine().getOut().println("---");
                }
            }
        }
        return 0;
    }
}
