package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Tensor;

/**
 * The FLOAT32 copies a problem's {@code predict} makes around its network (the observation's copy, the network's
 * output) go back to the buffer pool as the network's own activations do: under {@code noGrad} at once, while a
 * graph is recorded when a freeing backward pass has run through them.
 */
final class PredictionTemporaries {
    private PredictionTemporaries() {
    }

    /**
     * Gives back each of {@code temporaries}, values only {@code predict} saw, unless one of {@code live} holds its
     * array (the observation, when the "copy" is the observation itself).
     *
     * @param owner the predict method, for the error a later read would throw
     * @param temporaries the values read by nothing after the call but the graph
     * @param live the observation and the result
     */
    static void release(String owner, Tensor[] temporaries, Tensor... live) {
        for (Tensor t : temporaries) {
            if (Autodiff.isRecording()) {
                BufferPool.recycleAfterBackward(t, owner, live);
            } else {
                BufferPool.recycleTemporary(t, owner, live);
            }
        }
    }
}
