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
     * array (the observation, when the "copy" is the observation itself). The first is the network's input, a
     * constant the network's first convolution keeps for its weight gradient: while recording it goes back with the
     * graph of the second, the network's output ({@link BufferPool#recycleWithGraphOf}).
     *
     * @param owner the predict method, for the error a later read would throw
     * @param temporaries the network's input, its output, then values computed from the output: read by nothing
     *        after the call but the graph
     * @param live the observation and the result
     */
    static void release(String owner, Tensor[] temporaries, Tensor... live) {
        for (Tensor t : temporaries) {
            if (t == temporaries[0] && Autodiff.isRecording()) {
                BufferPool.recycleWithGraphOf(t, temporaries[1], owner, live);
            } else {
                BufferPool.recycleInternal(t, owner, live);
            }
        }
    }
}
