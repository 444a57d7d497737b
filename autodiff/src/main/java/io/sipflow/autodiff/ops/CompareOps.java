package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.BinaryOp;

/**
 * Comparisons give masks (1 where true, 0 where false, in the inputs' result type) that carry no gradient, and
 * {@link #where} selects between two tensors by a mask.
 */
public final class CompareOps {
    private CompareOps() {
    }

    /**
     * Mask of {@code a > b}, broadcast.
     *
     * @param a left-hand side
     * @param b right-hand side, broadcastable with a
     * @return 1 where true, 0 where false, in the inputs' result type; no gradient
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor greater(Tensor a, Tensor b) {
        return BinaryOps.compare("greater", BinaryOp.GREATER, a, b);
    }

    /**
     * Mask of {@code a ≥ b}, broadcast.
     *
     * @param a left-hand side
     * @param b right-hand side, broadcastable with a
     * @return 1 where true, 0 where false, in the inputs' result type; no gradient
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor greaterEqual(Tensor a, Tensor b) {
        return BinaryOps.compare("greaterEqual", BinaryOp.GREATER_EQUAL, a, b);
    }

    /**
     * Mask of {@code a < b}, broadcast.
     *
     * @param a left-hand side
     * @param b right-hand side, broadcastable with a
     * @return 1 where true, 0 where false, in the inputs' result type; no gradient
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor less(Tensor a, Tensor b) {
        return BinaryOps.compare("less", BinaryOp.LESS, a, b);
    }

    /**
     * Mask of {@code a ≤ b}, broadcast.
     *
     * @param a left-hand side
     * @param b right-hand side, broadcastable with a
     * @return 1 where true, 0 where false, in the inputs' result type; no gradient
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor lessEqual(Tensor a, Tensor b) {
        return BinaryOps.compare("lessEqual", BinaryOp.LESS_EQUAL, a, b);
    }

    /**
     * Mask of {@code a == b} (exact; NaN equals nothing), broadcast.
     *
     * @param a left-hand side
     * @param b right-hand side, broadcastable with a
     * @return 1 where true, 0 where false, in the inputs' result type; no gradient
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor equal(Tensor a, Tensor b) {
        return BinaryOps.compare("equal", BinaryOp.EQUAL, a, b);
    }

    /**
     * cond ≠ 0 ? a : b, broadcasting all three. VJP: (g where cond, g where not cond); no gradient to cond.
     *
     * @param cond the mask (any nonzero value selects a)
     * @param a values where the mask is set
     * @param b values elsewhere
     * @return a tensor of the three shapes' broadcast shape, in a's and b's result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        OpSupport.requireNonNull("where", cond, a, b);
        Shape out = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        DType d = OpSupport.resultType(a, b);
        Tensor x = OpSupport.as(a, d);
        Tensor y = OpSupport.as(b, d);
        Tensor c = ShapeOps.broadcastTo(cond.stopGradient(), out);
        Tensor value = OpSupport.backend().where(c, ShapeOps.broadcastTo(x, out).stopGradient(),
                ShapeOps.broadcastTo(y, out).stopGradient());
        return Graph.record("where", value, new Tensor[] {x, y}, g -> {
            Tensor zeros = Tensor.full(g.dtype(), out, 0.0);
            return new Tensor[] {
                Broadcast.sumTo(where(c, g, zeros), x.shape()),
                Broadcast.sumTo(where(c, zeros, g), y.shape())};
        });
    }
}
