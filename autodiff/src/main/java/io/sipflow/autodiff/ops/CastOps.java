package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;

/** Type casts and the gradient cut. */
public final class CastOps {
    private CastOps() {
    }

    /**
     * {@code a} in type {@code d}. VJP: the gradient cast back to {@code a}'s type.
     *
     * @param a the input
     * @param d the target type; FLOAT64 to FLOAT32 rounds to nearest
     * @return {@code a} itself if already of type d, else the converted tensor (recorded as {@code to_float32} or
     *         {@code to_float64})
     */
    public static Tensor to(Tensor a, DType d) {
        if (a.dtype() == d) {
            return a;
        }
        Tensor value = OpSupport.backend().cast(a.constant(), d);
        DType back = a.dtype();
        return Graph.record("to_" + d, value, a, g -> new Tensor[] {to(g, back)});
    }

    /**
     * Same values, and no gradient flows back through it (JAX's {@code lax.stop_gradient}). It is recorded as a
     * node with no VJP, so {@link Graph#toDot} shows where the flow is cut.
     *
     * @param a the input
     * @return a tensor with a's values and an op node {@code stopGradient}
     */
    public static Tensor stopGradient(Tensor a) {
        return Graph.record("stopGradient", a.constant(), a, null);
    }
}
