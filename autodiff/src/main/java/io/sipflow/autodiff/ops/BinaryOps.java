package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.BinaryOp;

/**
 * Elementwise binary ops with NumPy broadcasting. Inputs are cast to the result type first (see
 * {@link io.sipflow.autodiff.Precision}); every VJP sums its gradient back to its input's shape with
 * {@link Broadcast#sumTo}.
 */
public final class BinaryOps {
    private BinaryOps() {
    }

    /** Computes {@code op(a, b)} after casting and broadcasting; the caller records the VJP. */
    private static Tensor compute(String name, BinaryOp op, Tensor a, Tensor b) {
        Shape out = Shape.broadcast(name, a.shape(), b.shape());
        return OpSupport.backend().binary(op, a, b, out);
    }

    /** Both inputs in the op's result type. */
    private static Tensor[] unify(String name, Tensor a, Tensor b) {
        OpSupport.requireNonNull(name, a, b);
        DType d = OpSupport.resultType(a, b);
        return new Tensor[] {OpSupport.as(a, d), OpSupport.as(b, d)};
    }

    /**
     * a + b, broadcast. VJP: (g, g), each summed back to its input's shape.
     *
     * @param a left operand
     * @param b right operand, broadcastable with a
     * @return a tensor of the broadcast shape in the inputs' result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor add(Tensor a, Tensor b) {
        Tensor[] in = unify("add", a, b);
        Tensor x = in[0], y = in[1];
        return Graph.record("add", compute("add", BinaryOp.ADD, x, y), in, g -> new Tensor[] {
            Broadcast.sumTo(g, x.shape()),
            Broadcast.sumTo(g, y.shape())});
    }

    /**
     * a − b, broadcast. VJP: (g, −g).
     *
     * @param a minuend
     * @param b subtrahend, broadcastable with a
     * @return a tensor of the broadcast shape in the inputs' result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor sub(Tensor a, Tensor b) {
        Tensor[] in = unify("sub", a, b);
        Tensor x = in[0], y = in[1];
        return Graph.record("sub", compute("sub", BinaryOp.SUB, x, y), in, g -> new Tensor[] {
            Broadcast.sumTo(g, x.shape()),
            Broadcast.sumTo(UnaryOps.neg(g), y.shape())});
    }

    /**
     * a · b elementwise, broadcast. VJP: (g·b, g·a).
     *
     * @param a one factor
     * @param b the other, broadcastable with a
     * @return a tensor of the broadcast shape in the inputs' result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor mul(Tensor a, Tensor b) {
        Tensor[] in = unify("mul", a, b);
        Tensor x = in[0], y = in[1];
        return Graph.record("mul", compute("mul", BinaryOp.MUL, x, y), in, g -> new Tensor[] {
            Broadcast.sumTo(mul(g, y), x.shape()),
            Broadcast.sumTo(mul(g, x), y.shape())});
    }

    /**
     * a / b elementwise, broadcast (IEEE: ±∞ or NaN where b = 0). VJP: (g / b, −g·a / b²).
     *
     * @param a dividend
     * @param b divisor, broadcastable with a
     * @return a tensor of the broadcast shape in the inputs' result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor div(Tensor a, Tensor b) {
        Tensor[] in = unify("div", a, b);
        Tensor x = in[0], y = in[1];
        return Graph.record("div", compute("div", BinaryOp.DIV, x, y), in, g -> new Tensor[] {
            Broadcast.sumTo(div(g, y), x.shape()),
            Broadcast.sumTo(UnaryOps.neg(div(mul(g, x), UnaryOps.square(y))), y.shape())});
    }

    /**
     * a^b elementwise, broadcast. VJP: (g·b·a^(b−1), g·a^b·ln a); the second only when b requires a gradient, and
     * then a must be &gt; 0 for it to be finite.
     *
     * @param a base
     * @param b exponent, broadcastable with a
     * @return a tensor of the broadcast shape in the inputs' result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor[] in = unify("pow", a, b);
        Tensor x = in[0], y = in[1];
        return Graph.recordWithOutput("pow", compute("pow", BinaryOp.POW, x, y), in, (out, g) -> new Tensor[] {
            Broadcast.sumTo(mul(g, mul(y, pow(x, sub(y, ones(y))))), x.shape()),
            y.requiresGrad() ? Broadcast.sumTo(mul(g, mul(out, UnaryOps.log(x))), y.shape()) : null});
    }

    /**
     * max(a, b) elementwise, broadcast. VJP: g goes to a where a ≥ b, else to b (ties go to a). The mask is a
     * constant: the second derivative is 0 almost everywhere.
     *
     * @param a one operand
     * @param b the other, broadcastable with a
     * @return a tensor of the broadcast shape in the inputs' result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor[] in = unify("maximum", a, b);
        Tensor x = in[0], y = in[1];
        return Graph.record("maximum", compute("maximum", BinaryOp.MAXIMUM, x, y), in, g -> {
            Tensor aWins = compute("maximum", BinaryOp.GREATER_EQUAL, x, y);
            return new Tensor[] {
                Broadcast.sumTo(mul(g, aWins), x.shape()),
                Broadcast.sumTo(mul(g, sub(ones(aWins), aWins)), y.shape())};
        });
    }

    /**
     * min(a, b) elementwise, broadcast. VJP: g goes to a where a ≤ b, else to b.
     *
     * @param a one operand
     * @param b the other, broadcastable with a
     * @return a tensor of the broadcast shape in the inputs' result type
     * @throws IllegalArgumentException if the shapes do not broadcast or an input is null
     */
    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor[] in = unify("minimum", a, b);
        Tensor x = in[0], y = in[1];
        return Graph.record("minimum", compute("minimum", BinaryOp.MINIMUM, x, y), in, g -> {
            Tensor aWins = compute("minimum", BinaryOp.LESS_EQUAL, x, y);
            return new Tensor[] {
                Broadcast.sumTo(mul(g, aWins), x.shape()),
                Broadcast.sumTo(mul(g, sub(ones(aWins), aWins)), y.shape())};
        });
    }

    /** Mask-free comparison kernel for {@link CompareOps}: no graph node, values 1 or 0. */
    static Tensor compare(String name, BinaryOp op, Tensor a, Tensor b) {
        Tensor[] in = unify(name, a, b);
        return compute(name, op, in[0], in[1]);
    }

    private static Tensor ones(Tensor like) {
        return Tensor.full(like.dtype(), Shape.scalar(), 1.0);
    }
}
