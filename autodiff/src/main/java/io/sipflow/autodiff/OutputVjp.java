package io.sipflow.autodiff;

/**
 * A vector-Jacobian product that reads the op's own output (eˣ's VJP is g·eˣ). It is handed the recorded output
 * tensor, so a recorded backward pass ({@link Autodiff.Differentiable#YES}) differentiates through it as well.
 */
@FunctionalInterface
public interface OutputVjp {
    /**
     * @param output the op's recorded output
     * @param gradOutput the loss's gradient with respect to it
     * @return one gradient per input (null: none flows there)
     */
    Tensor[] apply(Tensor output, Tensor gradOutput);
}
