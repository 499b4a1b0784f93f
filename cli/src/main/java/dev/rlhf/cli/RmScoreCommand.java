package dev.rlhf.cli;

import dev.rlhf.core.checkpoint.RewardStats;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.rm.RewardScorer;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = "Prints the reward of each response to the prompt, laid out as the trainer and the gateway do "
                + "(a user turn, then an assistant turn, in the model's own chat template), and the normalised reward when the model has "
                + "reward_stats.json.")
final class RmScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "A reward-model directory (e.g. checkpoints/best).")
    Path model;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--prompt", required = true, description = "The user's message.")
    String prompt;

    @Option(
            names = "--response",
            required = true,
            arity = "1..*",
            description = "The assistant's reply; repeat for several replies to one prompt.")
    List<String> responses;

    @Override
    public Integer call() {
        // a LoRA reward-model run writes reward_stats.json beside its adapter
        Optional<RewardStats> stats = adapter.given() ? RewardStats.read(adapter.dir) : RewardStats.read(model);
        try (Tokenizer tokenizer = Tokenizer.load(model);
                RewardModel rm = adapter.rewardModel(model, false)) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            List<long[]> sequences =
                    responses.stream().map(r -> layout.reply(prompt, r)).toList();
            long pad = tokenizer.padId().orElse(tokenizer.eosId());
            float[] rewards = new RewardScorer(rm, pad, sequences.size()).score(sequences);
            for (float reward : rewards) {
                String line = String.format(Locale.ROOT, "reward %.6f", reward);
                if (stats.isPresent()) {
                    line += String.format(
                            Locale.ROOT, "  normalised %.6f", stats.get().normalise(reward));
                }
                spec.commandLine().getOut().println(line);
            }
        }
        return 0;
    }
}
