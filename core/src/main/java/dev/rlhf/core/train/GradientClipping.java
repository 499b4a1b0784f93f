package dev.rlhf.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.rlhf.core.model.NoGrad;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Clipping by global norm (Pascanu et al., 2013): with {@code n = sqrt(sum over parameters of |g|^2)}, every gradient
 * is scaled by {@code min(1, maxNorm / n)}. Returns n before clipping, the figure worth logging; a non-finite n
 * leaves the gradients alone for the caller to drop the step.
 *
 * <p>As {@code torch.nn.utils.clip_grad_norm_}: each gradient's norm is one native op, the norms are stacked and
 * reduced on the device, and the host reads them once, so one synchronisation covers every parameter of every group.
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
            grad.set(new NDIndex("..."), 0); // not muli(0): inf * 0 is NaN
        }
    }

    /** Clips one group to {@code maxNorm} (0: no clipping) and returns its norm before clipping. */
    public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
        return clipGlobalNorms(List.of(parameters), maxNorm)[0];
    }

    /**
     * Clips each group to its own global norm {@code maxNorm} (0: no clipping) and returns the groups' norms before
     * clipping, in order. When any norm is not finite nothing is scaled: the caller drops the step.
     */
    public static double[] clipGlobalNorms(List<? extends Collection<Parameter>> groups, double maxNorm) {
        NDManager parent = groups.stream()
                .flatMap(Collection::stream)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameters to clip"))
                .getArray()
                .getManager();
        try (NoGrad noGrad = NoGrad.open();
                NDManager scope = parent.newSubManager()) {
            List<List<NDArray>> gradients = new ArrayList<>();
            NDList groupNorms = new NDList();
            for (Collection<Parameter> group : groups) {
                List<NDArray> grads = new ArrayList<>();
                NDList norms = new NDList();
                for (Parameter p : group) {
                    NDArray grad = p.getArray().getGradient();
                    grad.attach(scope); // the handle is closed with the scope, the gradient stays with the weight
                    grads.add(grad);
                    norms.add(grad.norm().toType(DataType.FLOAT32, false)); // () each
                }
                gradients.add(grads);
                groupNorms.add(
                        norms.isEmpty()
                                ? scope.zeros(new Shape())
                                : NDArrays.stack(norms).norm()); // (P) -> ()
            }
            float[] norms = NDArrays.stack(groupNorms).toFloatArray(); // (G): the one host synchronisation
            double[] out = new double[norms.length];
            boolean finite = true;
            for (int i = 0; i < norms.length; i++) {
                out[i] = norms[i];
                finite &= Double.isFinite(out[i]);
            }
            if (finite && maxNorm > 0) {
                for (int i = 0; i < out.length; i++) {
                    if (out[i] > maxNorm) {
                        scale(gradients.get(i), scope.create((float) (maxNorm / (out[i] + 1e-6))));
                    }
                }
            }
            return out;
        }
    }

    /** Multiplies every gradient in place by one scalar tensor (not one per gradient, as {@code muli(float)} makes). */
    private static void scale(List<NDArray> gradients, NDArray factor) {
        for (NDArray grad : gradients) {
            grad.muli(factor.getDataType() == grad.getDataType() ? factor : factor.toType(grad.getDataType(), false));
        }
    }
}
