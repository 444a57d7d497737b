package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;

/** The nonlinearity between layers (PhiFlow's {@code activation} argument). */
public enum Activation {
    /** max(0, x). */
    RELU {
        @Override
        public Tensor apply(Tensor x) {
            return x.relu();
        }
    };

    /**
     * Applies the nonlinearity elementwise.
     *
     * @param x any tensor
     * @return a tensor of x's shape
     */
    public abstract Tensor apply(Tensor x);
}
