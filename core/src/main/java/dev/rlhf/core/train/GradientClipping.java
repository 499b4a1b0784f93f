package dev.rlhf.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * Clipping by global norm (Pascanu et al., 2013): with {@code n = sqrt(sum over parameters of |g|^2)}, every gradient
 * is scaled by {@code min(1, maxNorm / n)}. Returns n before clipping, the figure worth logging.
 */
public final class GradientClipping {

    private GradientClipping() {}

    public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
        double sumSquares = 0;
        for (Parameter p : parameters) {
            try (NDArray grad = p.getArray().getGradient();
                    NDArray squares = grad.square();
                    NDArray sum = squares.sum()) {
                sumSquares += sum.getFloat();
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Parameter p : parameters) {
                try (NDArray grad = p.getArray().getGradient()) {
                    grad.muli(scale);
                }
            }
        }
        return norm;
    }
}
