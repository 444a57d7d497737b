package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Tensor;

/**
 * A module's intermediate activations go back to {@link BufferPool} as soon as the next layer has read them, when
 * nothing records a graph ({@code Autodiff.noGrad}, {@code BufferScope.noGrad}): no backward pass can read them then,
 * so a plain {@code noGrad} forward reuses its own arrays layer after layer (as PyTorch frees an activation once
 * nothing refers to it) instead of making every activation anew on every call. While a graph is recorded they are
 * the graph's values and stay.
 */
final class Temporaries {
    private Temporaries() {
    }

    /**
     * Gives back {@code used}, a value the calling module made and handed only to the ops that made what it
     * computed next, when nothing records; left alone when one of {@code live} holds its array (an activation that
     * returned its input unchanged, a transpose that is a view of the weights).
     *
     * @param module the module and method, for the error a later read of {@code used} would throw
     * @param used the value, read by nothing after this call
     * @param live values that stay in use: what was computed from {@code used}, and what it may be a view of
     */
    static void release(String module, Tensor used, Tensor... live) {
        if (!Autodiff.isRecording()) {
            BufferPool.recycleTemporary(used, module, live);
        }
    }
}
