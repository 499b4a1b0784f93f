package dev.rlhf.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.NoGrad;
import java.util.Collection;

/**
 * Clipping by global norm (Pascanu et al., 2013): with {@code n = sqrt(sum over parameters of |g|^2)}, every gradient
 * is scaled by {@code min(1, maxNorm / n)}. Returns n before clipping, the figure worth logging; a non-finite n
 * leaves the gradients alone for the caller to drop the step.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /** Sets every gradient to zero, e.g. to drop a step whose gradients overflowed. */
    public static void zero(Collection<Parameter> parameters) {
        try (NoGrad noGrad = NoGrad.open()) {
            parameters.forEach(GradientClipping::zeroOne);
        }
    }

    private static void zeroOne(Parameter p) {
        try (NDArray grad = p.getArray().getGradient()) {
            grad.set(new ai.djl.ndarray.index.NDIndex("..."), 0); // not muli(0): inf * 0 is NaN
        }
    }

    public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
        try (NoGrad noGrad = NoGrad.open()) {
            return clip(parameters, maxNorm);
        }
    }

    private static double clip(Collection<Parameter> parameters, double maxNorm) {
        double sumSquares = 0;
        for (Parameter p : parameters) {
            try (NDArray grad = p.getArray().getGradient();
                    NDArray squares = grad.square();
                    NDArray sum = squares.sum()) {
                sumSquares += sum.getFloat();
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (!Double.isFinite(norm)) {
            return norm; // the caller skips this update: scaling inf or NaN gradients would poison the weights
        }
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
