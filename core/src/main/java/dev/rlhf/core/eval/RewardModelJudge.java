package dev.rlhf.core.eval;

import dev.rlhf.core.checkpoint.HfCheckpoint;
import dev.rlhf.core.model.NoGrad;
import dev.rlhf.core.model.RewardModel;
import dev.rlhf.core.rm.RewardScorer;
import dev.rlhf.core.tokenizer.ChatLayout;
import dev.rlhf.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reward model as a judge: every (prompt, answer) scored with the reward model's own tokenizer and chat template (so
 * it judges models whose tokenizers differ from its own); the answer with the higher raw reward wins, equal rewards tie.
 */
final class RewardModelJudge {

    private static final int BATCH = 8;

    private RewardModelJudge() {}

    /** {@code rewards[m][i]}: the reward of model {@code m}'s answer to prompt {@code i}. */
    static double[][] rewards(Path rewardModelDir, List<String> prompts, List<List<Answer>> answers) {
        try (RewardModel rm = HfCheckpoint.loadRewardModel(rewardModelDir, null);
                Tokenizer tokenizer = Tokenizer.load(rewardModelDir);
                NoGrad noGrad = NoGrad.open()) {
            ChatLayout layout = ChatLayout.of(tokenizer);
            RewardScorer scorer = new RewardScorer(rm, tokenizer.padId().orElse(tokenizer.eosId()), BATCH);
            double[][] out = new double[answers.size()][];
            for (int m = 0; m < answers.size(); m++) {
                List<long[]> sequences = new ArrayList<>();
                for (int i = 0; i < prompts.size(); i++) {
                    sequences.add(
                            layout.reply(prompts.get(i), answers.get(m).get(i).response()));
                }
                float[] rewards = scorer.score(sequences);
                out[m] = new double[rewards.length];
                for (int i = 0; i < rewards.length; i++) {
                    out[m][i] = rewards[i];
                }
            }
            return out;
        }
    }

    /** The candidate's outcome by reward. */
    static Outcome outcome(double baselineReward, double candidateReward) {
        int c = Double.compare(candidateReward, baselineReward);
        return c > 0 ? Outcome.WIN : c < 0 ? Outcome.LOSS : Outcome.TIE;
    }
}
