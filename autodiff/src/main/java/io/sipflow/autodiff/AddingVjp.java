package io.sipflow.autodiff;

/**
 * A single-input op's VJP added to a gradient its input already has, in one pass: {@code previous + vjp(g)} where
 * the input is read by several ops (a skip connection and its pooling, say). The generic way computes the VJP's
 * result into a fresh tensor and then adds the two, three passes over memory; an op whose VJP is sparse (max-pool
 * scatters each window's gradient to one cell) can do it in one. Only first-order passes use it; its result must
 * be, bit for bit, {@code previous + vjp(g)} as float (or double) adds of the two, in that order.
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
