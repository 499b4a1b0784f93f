package dev.rlhf.core.train;

import ai.djl.ndarray.NDArray;
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

    private void apply(Map<String, Parameter> parameters, float lr) {
        step++;
        float correction1 = (float) (1 - Math.pow(settings.beta1(), step));
        float correction2 = (float) (1 - Math.pow(settings.beta2(), step));
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray weight = e.getValue().getArray();
            NDArray m = moment(firstMoments, e.getKey(), weight);
            NDArray v = moment(secondMoments, e.getKey(), weight);
            try (NDManager scope = manager.newSubManager()) {
                NDArray grad = weight.getGradient();
                grad.attach(scope); // the handle is closed with the scope, the gradient stays with the weight
                scope.tempAttachAll(weight, m, v); // temporaries of this step land in the scope
                m.muli(settings.beta1()).addi(grad.mul(1 - settings.beta1()));
                v.muli(settings.beta2()).addi(grad.square().muli(1 - settings.beta2()));
                NDArray denominator = v.div(correction2).sqrt().addi(settings.eps());
                NDArray delta = m.div(correction1).divi(denominator).muli(lr);
                if (decays(weight)) {
                    weight.subi(weight.mul(lr * settings.weightDecay()));
                }
                weight.subi(delta);
                grad.muli(0);
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
