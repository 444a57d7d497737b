package io.sipflow.physics.train;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Buffer;
import io.sipflow.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * A module's buffers (batch-norm running statistics) as they are now, to put back when a step fails or after an
 * extra forward pass that must not count as training (Hessian-free's evaluation of the loss after its step).
 */
final class BufferSnapshot {
    private final Module module;
    private final List<Tensor> values = new ArrayList<>();

    /** Takes the values of every buffer of {@code module} (tensors are immutable: references suffice). */
    BufferSnapshot(Module module) {
        this.module = module;
        for (Buffer b : module.namedBuffers().values()) {
            values.add(b.value());
        }
    }

    /** Puts the values back. */
    void restore() {
        int i = 0;
        for (Buffer b : module.namedBuffers().values()) {
            b.set(values.get(i++));
        }
    }
}
