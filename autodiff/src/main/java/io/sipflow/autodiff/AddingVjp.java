package io.sipflow.autodiff;

/**
 * A single-input op's VJP added to a gradient its input already has, in one pass: {@code previous + vjp(g)} where
 * the input is read by several ops (a skip connection and its pooling, say). The generic way computes the VJP's
 * result into a fresh tensor and then adds the two, three passes over memory; an op whose VJP is sparse (max-pool
 * scatters each window's gradient to one cell) can do it in one. Only first-order passes use it; its result must
 * be, bit for bit, {@code previous + vjp(g)} as float (or double) adds of the two, in that order.
 *
 * <pre>{@code
 * // y = 2x: the plain VJP, and the same gradient added to x's earlier one in a single op
 * Tensor y = Graph.record("double", x.mul(2), x,
 *         g -> new Tensor[] {g.mul(2)},
 *         (g, previous) -> previous.add(g.mul(2)));   // a real kernel fuses this into one pass
 * }</pre>
 */
@FunctionalInterface
public interface AddingVjp {
    /**
     * The input's gradient so far plus this op's contribution.
     *
     * @param gradOutput ∂L/∂output, of the output's shape
     * @param previous the input's gradient from the ops that ran before, of the input's shape and type
     * @return previous + (the input gradient the op's {@link Vjp} gives for gradOutput), a fresh tensor
     */
    Tensor apply(Tensor gradOutput, Tensor previous);
}
