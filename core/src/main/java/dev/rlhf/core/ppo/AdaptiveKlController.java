package dev.rlhf.core.ppo;

/**
 * The adaptive KL coefficient of Ziegler et al., "Fine-Tuning Language Models from Human Preferences" (2019), section
 * 2.2: a proportional controller that steers the measured KL towards a target.
 *
 * <pre>
 *   proportional_error = clip(current_kl / target - 1, -0.2, 0.2)
 *   mult               = 1 + proportional_error * n_steps / horizon
 *   kl_coef            = kl_coef * mult
 * </pre>
 *
 * {@code target} is a KL per response (nats), {@code horizon} the number of rollouts over which a persistent error
 * moves the coefficient by about e^{0.2}; {@code n_steps} is the batch size of the update. The paper uses target 6 and
 * horizon 10000.
 */
public final class AdaptiveKlController implements KlController {

    /** Bound on the relative error, so one wild batch cannot swing the coefficient. */
    public static final double ERROR_CLIP = 0.2;

    private final double target;
    private final int horizon;
    private double coef;

    /** Starts at {@code initCoef}; {@code target} > 0 nats, {@code horizon} > 0 rollouts. */
    public AdaptiveKlController(double initCoef, double target, int horizon) {
        if (!(target > 0)) {
            throw new IllegalArgumentException("target KL must be > 0, got " + target);
        }
        if (horizon <= 0) {
            throw new IllegalArgumentException("horizon must be > 0, got " + horizon);
        }
        this.coef = new State(initCoef).coef();
        this.target = target;
        this.horizon = horizon;
    }

    @Override
    public double coef() {
        return coef;
    }

    public double target() {
        return target;
    }

    public int horizon() {
        return horizon;
    }

    @Override
    public void update(double currentKl, int nSteps) {
        double proportionalError = Math.max(-ERROR_CLIP, Math.min(ERROR_CLIP, currentKl / target - 1));
        double mult = 1 + proportionalError * nSteps / horizon;
        coef *= mult;
    }
}
