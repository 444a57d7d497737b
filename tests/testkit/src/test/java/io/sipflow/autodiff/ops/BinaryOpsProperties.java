package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.testkit.TensorArbitraries;
import io.sipflow.testkit.TensorValues;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static io.sipflow.testkit.GradAssert.assertGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Gradient properties of the binary ops, on broadcasting shape pairs, through GradCheck. */
class BinaryOpsProperties {
    @Provide
    Arbitrary<Shape[]> pairs() {
        return TensorArbitraries.broadcastPairs();
    }

    @Property(tries = 60)
    void add(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        assertGradients("add", in -> in[0].add(in[1]), TensorValues.uniform(s[0], -2, 2, seed), TensorValues.uniform(s[1], -2, 2, ~seed));
    }

    @Property(tries = 60)
    void sub(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        assertGradients("sub", in -> in[0].sub(in[1]), TensorValues.uniform(s[0], -2, 2, seed), TensorValues.uniform(s[1], -2, 2, ~seed));
    }

    @Property(tries = 60)
    void mul(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        assertGradients("mul", in -> in[0].mul(in[1]), TensorValues.uniform(s[0], -2, 2, seed), TensorValues.uniform(s[1], -2, 2, ~seed));
    }

    @Property(tries = 60)
    void div(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        assertGradients("div", in -> in[0].div(in[1]), TensorValues.uniform(s[0], -2, 2, seed), TensorValues.awayFromZero(s[1], ~seed));
    }

    @Property(tries = 60)
    void pow(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        assertGradients("pow", in -> in[0].pow(in[1]), TensorValues.uniform(s[0], 0.5, 2, seed), TensorValues.uniform(s[1], -2, 2, ~seed));
    }

    @Property(tries = 60)
    void maximum(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        Tensor[] ab = apart(s, seed);
        assertGradients("maximum", in -> in[0].maximum(in[1]), ab[0], ab[1]);
    }

    @Property(tries = 60)
    void minimum(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        Tensor[] ab = apart(s, seed);
        assertGradients("minimum", in -> in[0].minimum(in[1]), ab[0], ab[1]);
    }

    /** The VJP of every op is linear in the output gradient: vjp(2g) = 2·vjp(g). */
    @Property(tries = 30)
    void vjpIsLinear(@ForAll("pairs") Shape[] s, @ForAll long seed) {
        Tensor a = TensorValues.uniform(s[0], -2, 2, seed).variable();
        Tensor b = TensorValues.uniform(s[1], -2, 2, ~seed).variable();
        Tensor out = a.mul(b).add(a.div(b.square().add(1)));
        Tensor g = TensorValues.uniform(out.shape(), -1, 1, seed + 1);
        var once = io.sipflow.autodiff.Autodiff.vjp(out, g, java.util.List.of(a, b),
                io.sipflow.autodiff.Autodiff.Disconnected.ZERO);
        var twice = io.sipflow.autodiff.Autodiff.vjp(out, g.mul(2), java.util.List.of(a, b),
                io.sipflow.autodiff.Autodiff.Disconnected.ZERO);
        for (int i = 0; i < 2; i++) {
            double[] x = once.get(i).toDoubleArray();
            double[] y = twice.get(i).toDoubleArray();
            for (int e = 0; e < x.length; e++) {
                assertEquals(2 * x[e], y[e], 1e-12 * (1 + Math.abs(y[e])));
            }
        }
    }

    /** a and b (broadcast) at least 0.1 apart everywhere, so maximum/minimum are differentiable. */
    private static Tensor[] apart(Shape[] s, long seed) {
        Tensor b = TensorValues.uniform(s[1], -1, 1, ~seed);
        Shape out = Shape.broadcast("test", s[0], s[1]);
        // a = broadcast-reduced b + offset of ±[0.1, 1): only possible elementwise when a covers b's shape.
        Tensor offset = TensorValues.awayFromZero(s[0], seed).mul(0.5);
        Tensor a = out.equals(s[0]) ? b.broadcastTo(out).add(offset) : offset.mul(4);
        if (!out.equals(s[0])) {
            b = b.mul(0.01); // |a| >= 0.4 while |b| <= 0.01
        }
        return new Tensor[] {a, b};
    }
}
