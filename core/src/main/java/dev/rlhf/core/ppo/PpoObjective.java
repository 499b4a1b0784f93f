package dev.rlhf.core.ppo;

import ai.djl.ndarray.NDArray;
import dev.rlhf.core.model.Scalars;

/**
 * The one scalar PPO minimises per minibatch: {@code L = pgLoss + vfCoef * vfLoss - entCoef * entropy}; without a
 * critic (GRPO, RLOO, REINFORCE++) {@code vfLoss} is null and the term is absent.
 *
 * <p>The coefficients enter the graph as kept scalars ({@link Scalars}), so backward never reads a freed operand.
 */
public final class PpoObjective {

    private PpoObjective() {}

    public static NDArray total(NDArray pgLoss, NDArray vfLoss, NDArray entropy, double vfCoef, double entropyCoef) {
        NDArray loss = vfLoss == null ? pgLoss : pgLoss.add(vfLoss.mul(Scalars.like(vfLoss, (float) vfCoef)));
        if (entropyCoef != 0) {
            loss = loss.sub(entropy.mul(Scalars.like(entropy, (float) entropyCoef)));
        }
        return loss;
    }
}
