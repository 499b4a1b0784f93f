package dev.rlhf.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.rlhf.core.checkpoint.CheckpointException;
import dev.rlhf.core.checkpoint.SafetensorsReader;
import dev.rlhf.core.checkpoint.SafetensorsWriter;
import dev.rlhf.core.model.NoGrad;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), the optimizer of every trainer:
 *
 * <pre>
 *   m = b1 m + (1 - b1) g          v = b2 v + (1 - b2) g^2
 *   p = p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) - lr wd p
 * </pre>
 *
 * <p>Weight decay applies to matrices only, not to norm weights or biases (as in nanoGPT and most LLM recipes). The
 * moments live here rather than inside DJL's optimizer so that a checkpoint can save them and a resumed run continues
 * bit for bit.
 */
public final class AdamW implements AutoCloseable {

    /** Hyper-parameters; {@code lr} comes from the schedule at each step. */
    public record Settings(float beta1, float beta2, float eps, float weightDecay) {}

    private final Settings settings;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    public AdamW(Settings settings, NDManager parent) {
        this.settings = settings;
        this.manager = parent.newSubManager();
    }

    public long step() {
        return step;
    }

    /** Applies one update from the accumulated gradients, then zeroes them. */
    public void update(Map<String, Parameter> parameters, float lr) {
        try (NoGrad noGrad = NoGrad.open()) {
            apply(parameters, lr);
        }
    }

    /**
     * PyTorch's single-tensor AdamW in one native call per parameter (DJL's {@code adamUpdate}, moments and weight
     * updated in place, the gradient zeroed), with every scalar a Java float. That kernel divides by {@code sqrt(v) +
     * eps'} and scales by {@code lr'}; the bias corrections fold into those two scalars, since {@code (lr / c1) m /
     * (sqrt(v / c2) + eps) = (lr sqrt(c2) / c1) m / (sqrt(v) + eps sqrt(c2))}.
     */
    private void apply(Map<String, Parameter> parameters, float lr) {
        step++;
        double correction1 = 1 - Math.pow(settings.beta1(), step);
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(settings.beta2(), step));
        float stepSize = (float) (lr * sqrtCorrection2 / correction1);
        float eps = (float) (settings.eps() * sqrtCorrection2);
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray weight = e.getValue().getArray();
            NDArray m = moment(firstMoments, e.getKey(), weight);
            NDArray v = moment(secondMoments, e.getKey(), weight);
            float weightDecay = decays(weight) ? settings.weightDecay() : 0f;
            try (NDArray grad = weight.getGradient()) { // a handle only: the gradient stays with the weight
                weight.getNDArrayInternal()
                        .adamUpdate(
                                new NDList(weight, grad, m, v),
                                new NDList(weight),
                                lr,
                                stepSize,
                                weightDecay,
                                1f, // no rescaling of the gradient
                                -1f, // no element-wise clipping (the global norm is clipped before)
                                settings.beta1(),
                                settings.beta2(),
                                eps,
                                false, // lazy_update: an MXNet option, unused
                                true); // decoupled decay: p -= lr wd p, not wd p added to the gradient
            }
        }
    }

    private static boolean decays(NDArray weight) {
        return weight.getShape().dimension() >= 2;
    }

    private NDArray moment(Map<String, NDArray> moments, String name, NDArray like) {
        return moments.computeIfAbsent(name, n -> manager.zeros(like.getShape(), like.getDataType()));
    }

    /** Writes the moments and the step count to a safetensors file. */
    public void save(Path file) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        firstMoments.forEach((name, m) -> tensors.put("exp_avg." + name, m));
        secondMoments.forEach((name, v) -> tensors.put("exp_avg_sq." + name, v));
        SafetensorsWriter.write(file, tensors, Map.of("step", Long.toString(step)));
    }

    /** Restores what {@link #save} wrote. */
    public void load(Path file) {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            String savedStep = reader.metadata().get("step");
            if (savedStep == null) {
                throw CheckpointException.at(file, "no 'step' in __metadata__");
            }
            step = Long.parseLong(savedStep);
            for (String name : reader.tensors().keySet()) {
                NDArray value = reader.load(name, manager);
                if (name.startsWith("exp_avg_sq.")) {
                    secondMoments.put(name.substring("exp_avg_sq.".length()), value);
                } else if (name.startsWith("exp_avg.")) {
                    firstMoments.put(name.substring("exp_avg.".length()), value);
                } else {
                    throw CheckpointException.at(file, "unexpected tensor '" + name + "'");
                }
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
