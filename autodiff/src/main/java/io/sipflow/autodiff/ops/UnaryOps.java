package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.UnaryOp;

/** Elementwise unary ops; each VJP multiplies the output gradient by the local derivative. */
public final class UnaryOps {
    private UnaryOps() {
    }

    private static Tensor compute(UnaryOp op, Tensor x, double p) {
        return OpSupport.backend().unary(op, x, p);
    }

    private static Tensor prepare(String name, Tensor a) {
        OpSupport.requireNonNull(name, a);
        return OpSupport.asResult(a);
    }

    /**
     * −x. VJP: −g.
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor neg(Tensor a) {
        Tensor x = prepare("neg", a);
        return Graph.record("neg", compute(UnaryOp.NEG, x, 0), x, g -> new Tensor[] {neg(g)});
    }

    /**
     * eˣ. VJP: g·eˣ (reuses the output).
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor exp(Tensor a) {
        Tensor x = prepare("exp", a);
        return Graph.recordWithOutput("exp", compute(UnaryOp.EXP, x, 0), new Tensor[] {x},
                (out, g) -> new Tensor[] {BinaryOps.mul(g, out)});
    }

    /**
     * ln x (NaN below 0, −∞ at 0). VJP: g / x.
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor log(Tensor a) {
        Tensor x = prepare("log", a);
        return Graph.record("log", compute(UnaryOp.LOG, x, 0), x, g -> new Tensor[] {BinaryOps.div(g, x)});
    }

    /**
     * √x (NaN below 0). VJP: g / (2√x) (reuses the output).
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor sqrt(Tensor a) {
        Tensor x = prepare("sqrt", a);
        return Graph.recordWithOutput("sqrt", compute(UnaryOp.SQRT, x, 0), new Tensor[] {x},
                (out, g) -> new Tensor[] {BinaryOps.div(g, BinaryOps.mul(out, two(out)))});
    }

    /**
     * |x|. VJP: g·sign(x) (0 at x = 0); sign(x) is a constant mask: the second derivative is 0 almost
     * everywhere.
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor abs(Tensor a) {
        Tensor x = prepare("abs", a);
        return Graph.record("abs", compute(UnaryOp.ABS, x, 0), x,
                g -> new Tensor[] {BinaryOps.mul(g, compute(UnaryOp.SIGN, x, 0))});
    }

    /**
     * x². VJP: 2·g·x.
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor square(Tensor a) {
        Tensor x = prepare("square", a);
        return Graph.record("square", compute(UnaryOp.SQUARE, x, 0), x, g -> {
            Tensor twoX = BinaryOps.mul(x, two(x));
            Tensor gx = BinaryOps.mul(g, twoX);
            BufferPool.recycleTemporary(twoX, "square's VJP"); // read by nothing else; on a recorded graph kept
            return new Tensor[] {gx};
        });
    }

    /**
     * sign(x) ∈ {−1, 0, 1}. Piecewise constant: VJP 0.
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor sign(Tensor a) {
        Tensor x = prepare("sign", a);
        return Graph.record("sign", compute(UnaryOp.SIGN, x, 0), x, g -> new Tensor[] {null});
    }

    /**
     * max(x, 0). VJP: g where x &gt; 0, else 0 (a constant mask: the second derivative is 0 almost
     * everywhere).
     *
     * @param a the input
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor relu(Tensor a) {
        Tensor x = prepare("relu", a);
        return Graph.record("relu", compute(UnaryOp.RELU, x, 0), x, g -> {
            Tensor mask = compute(UnaryOp.STEP, x, 0);
            Tensor gx = BinaryOps.mul(g, mask);
            if (!Autodiff.isRecording()) { // a recorded pass keeps the mask: its mul node reads it
                BufferPool.recycleTemporary(mask, "relu's VJP");
            }
            return new Tensor[] {gx};
        });
    }

    /**
     * xᵖ for a constant exponent. VJP: g·p·xᵖ⁻¹ (xᵖ⁻¹ recorded, so the VJP differentiates again).
     *
     * @param a the base
     * @param p the exponent
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code a} is null
     */
    public static Tensor pow(Tensor a, double p) {
        Tensor x = prepare("pow", a);
        return Graph.record("pow", compute(UnaryOp.POW, x, p), x,
                g -> new Tensor[] {BinaryOps.mul(g, BinaryOps.mul(constant(x, p), pow(x, p - 1)))});
    }

    /**
     * x limited to [lo, hi]. VJP: g inside the interval, 0 outside (composite of maximum and minimum).
     *
     * @param a the input
     * @param lo the lower bound
     * @param hi the upper bound, ≥ lo
     * @return a tensor of a's shape
     * @throws IllegalArgumentException if {@code lo > hi} or {@code a} is null
     */
    public static Tensor clip(Tensor a, double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clip: lower bound " + lo + " exceeds upper bound " + hi);
        }
        Tensor x = prepare("clip", a);
        return BinaryOps.minimum(BinaryOps.maximum(x, constant(x, lo)), constant(x, hi));
    }

    private static Tensor two(Tensor like) {
        return constant(like, 2.0);
    }

    private static Tensor constant(Tensor like, double v) {
        return Tensor.full(like.dtype(), Shape.scalar(), v);
    }
}
