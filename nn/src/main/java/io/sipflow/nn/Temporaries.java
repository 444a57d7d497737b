package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Tensor;

/**
 * A module's intermediate activations, which its caller never sees, go back to {@link BufferPool} as soon as nothing
 * can read them, as PyTorch frees an activation once nothing refers to it. When nothing records a graph
 * ({@code Autodiff.noGrad}, {@code BufferScope.noGrad}) that is once the next layer has read them, so a plain
 * {@code noGrad} forward reuses its own arrays layer after layer. While a graph is recorded they are the graph's
 * values, which the backward pass reads; they go back when a first-order backward pass that frees the graph has run
 * ({@code Training.updateWeights} runs one), so a training loop reuses them without a {@code BufferScope}.
 */
final class Temporaries {
    private Temporaries() {
    }

    /**
     * Gives back {@code used}, a value the calling module made and handed only to the ops that made what it
     * computed next: now when nothing records, after the freeing backward pass otherwise; left alone when one of
     * {@code live} holds its array (an activation that returned its input unchanged, a transpose that is a view of
     * the weights).
     *
     * @param module the module and method, for the error a later read of {@code used} would throw
     * @param used the value, read by nothing after this call
     * @param live values that stay in use: what was computed from {@code used}, and what it may be a view of
     */
    static void release(String module, Tensor used, Tensor... live) {
        if (Autodiff.isRecording()) {
            BufferPool.recycleAfterBackward(used, module, live);
        } else {
            BufferPool.recycleTemporary(used, module, live);
        }
    }
}
