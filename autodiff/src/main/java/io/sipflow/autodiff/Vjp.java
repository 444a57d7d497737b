package io.sipflow.autodiff;

/**
 * A vector-Jacobian product: given the gradient of the loss with respect to an op's output, the gradients with
 * respect to each of its inputs (same order, same shapes). A null entry means "no gradient flows to that input".
 */
@FunctionalInterface
public interface Vjp {
    Tensor[] apply(Tensor gradOutput);
}
