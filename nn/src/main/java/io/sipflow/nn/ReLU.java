package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;

/** max(0, x) as a module. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
