package dev.rlhf.core.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off on this thread until closed, like {@code torch.no_grad()}.
 *
 * <p>PyTorch keeps the grad mode per thread and a new thread starts with it on, so a job running on a service's worker
 * thread would record graphs for inference and refuse in-place writes to parameters (loading weights, optimizer
 * steps: "a leaf Variable that requires grad is being used in an in-place operation"). Every place that writes
 * parameters in place or runs inference opens one of these.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;
    private final boolean pytorch;

    private NoGrad() {
        this.pytorch = "PyTorch".equals(Engine.getInstance().getEngineName());
        this.previous = pytorch && JniUtils.isGradMode();
        if (pytorch) {
            JniUtils.setGradMode(false);
        }
    }

    /** Whether operations on this thread record an autograd graph now (PyTorch's grad mode). */
    public static boolean recording() {
        return "PyTorch".equals(Engine.getInstance().getEngineName()) && JniUtils.isGradMode();
    }

    public static NoGrad open() {
        return new NoGrad();
    }

    @Override
    public void close() {
        if (pytorch) {
            JniUtils.setGradMode(previous);
        }
    }
}
