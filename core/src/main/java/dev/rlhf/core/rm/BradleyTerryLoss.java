package dev.rlhf.core.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The pairwise loss of a reward model (Bradley and Terry, 1952; Ouyang et al., 2022), with the margin of Llama 2
 * (Touvron et al., 2023): for P pairs of rewards,
 *
 * <pre>
 *     loss = mean_p  -log sigmoid(r_chosen[p] - r_rejected[p] - margin[p])
 * </pre>
 *
 * <p>The negative log-likelihood that the chosen reply wins, when the probability of winning is the sigmoid of the
 * reward difference. A margin m > 0 asks the chosen reply to lead by m: the loss is the no-margin loss at a difference
 * smaller by m. Computed as softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)), exact for large |x| of either sign.
 */
public final class BradleyTerryLoss {
    private BradleyTerryLoss() {}

    /**
     * @param chosen rewards of the preferred replies (P)
     * @param rejected rewards of the other replies (P)
     * @param margin margins (P), or a scalar
     * @return the mean loss, a scalar
     */
    public static NDArray evaluate(NDArray chosen, NDArray rejected, NDArray margin) {
        NDArray x = chosen.sub(rejected).sub(margin); // (P)
        NDArray softplus =
                Activation.relu(x.neg()).add(x.abs().neg().exp().add(1f).log()); // (P): -log sigmoid(x)
        return softplus.mean();
    }

    /** The loss without a margin. */
    public static NDArray evaluate(NDArray chosen, NDArray rejected) {
        return evaluate(chosen, rejected, chosen.getManager().create(0f));
    }
}
