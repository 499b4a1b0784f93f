package dev.rlhf.core.ppo;

/**
 * The coefficient {@code beta} (TRL's {@code kl_coef}) of the per-token KL penalty in {@link RewardShaping}: fixed, or
 * adapted towards a target KL. The one stateful piece of the PPO math; its state is {@link State}, which
 * {@link PpoTrainer} saves with each checkpoint ({@code ppo_state.json}) and builds the controller from on resume
 * ({@link PpoConfig.KlSettings#controller}).
 */
public sealed interface KlController permits AdaptiveKlController, FixedKlController {

    /** The current {@code beta}. */
    double coef();

    /**
     * Feeds back the KL measured on the last batch: {@code currentKl} is the mean over rollouts of each response's KL
     * ({@link KlEstimators#meanSequenceKl}), {@code nSteps} the number of rollouts it was measured on.
     */
    void update(double currentKl, int nSteps);

    /** What a checkpoint must store to resume the controller. */
    default State state() {
        return new State(coef());
    }

    /** A controller's saved state. */
    record State(double coef) {

        public State {
            if (!(coef >= 0) || Double.isInfinite(coef)) {
                throw new IllegalArgumentException("kl coef must be a finite number >= 0, got " + coef);
            }
        }
    }
}
