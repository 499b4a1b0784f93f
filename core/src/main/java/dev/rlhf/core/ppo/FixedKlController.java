package dev.rlhf.core.ppo;

/** A constant KL coefficient: {@link #update} changes nothing; resume with {@code new FixedKlController(state.coef())}. */
public record FixedKlController(double coef) implements KlController {

    public FixedKlController {
        new State(coef); // the same bounds as a saved coefficient
    }

    @Override
    public void update(double currentKl, int nSteps) {}
}
