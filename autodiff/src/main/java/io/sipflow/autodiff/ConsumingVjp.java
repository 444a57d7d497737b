package io.sipflow.autodiff;

/**
 * A {@link Vjp} that may write its result over the output gradient's array when the backward pass says nothing
 * reads that gradient afterwards: an element-wise VJP of a large activation (batch norm's input gradient, say) then
 * writes into memory it has just read instead of a fresh array, one stream less. Only first-order passes offer it.
 *
 * <pre>{@code
 * // y = 3x, whose input gradient may reuse the output gradient's array when that array is dead
 * Tensor y = Graph.recordConsuming("triple", x.mul(3), new Tensor[] {x},
 *         (g, dead) -> new Tensor[] {dead ? scaleInPlace(g, 3) : g.mul(3)});
 * }</pre>
 * ({@code scaleInPlace} stands for a kernel that writes g's own array and returns a tensor over it.)
 */
@FunctionalInterface
public interface ConsumingVjp {
    /**
     * The inputs' gradients for one output gradient.
     *
     * @param gradOutput ∂L/∂output, of the output's shape
     * @param gradOutputDead true when nothing reads gradOutput's array after this call (the pass would recycle
     *                       it): a returned gradient may then hold that array, overwritten
     * @return ∂L/∂input for each input, in input order and of its shape; null where no gradient flows
     */
    Tensor[] apply(Tensor gradOutput, boolean gradOutputDead);
}
