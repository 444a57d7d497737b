package io.sipflow.autodiff;

/**
 * A vector-Jacobian product: given the gradient of the loss with respect to an op's output, the gradients with
 * respect to each of its inputs (same order, same shapes). A null entry means "no gradient flows to that input".
 */
@FunctionalInterface
public interface Vjp {
    /**
     * The inputs' gradients for one output gradient.
     *
     * @param gradOutput ∂L/∂output, of the output's shape
     * @return ∂L/∂input for each input, in input order and of its shape; null where no gradient flows
     */
    Tensor[] apply(Tensor gradOutput);
}
