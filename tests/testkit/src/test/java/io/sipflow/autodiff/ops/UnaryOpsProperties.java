package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
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

/** Gradient properties of the unary ops; values avoid each op's non-differentiable points. */
class UnaryOpsProperties {
    @Provide
    Arbitrary<Shape> shapes() {
        return TensorArbitraries.shapes();
    }

    @Property(tries = 40)
    void neg(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("neg", in -> in[0].neg(), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 40)
    void exp(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("exp", in -> in[0].exp(), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 40)
    void log(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("log", in -> in[0].log(), TensorValues.uniform(s, 0.3, 3, seed));
    }

    @Property(tries = 40)
    void sqrt(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("sqrt", in -> in[0].sqrt(), TensorValues.uniform(s, 0.3, 3, seed));
    }

    @Property(tries = 40)
    void abs(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("abs", in -> in[0].abs(), TensorValues.awayFromZero(s, seed));
    }

    @Property(tries = 40)
    void square(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("square", in -> in[0].square(), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 40)
    void relu(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("relu", in -> in[0].relu(), TensorValues.awayFromZero(s, seed));
    }

    @Property(tries = 40)
    void powConstantExponent(@ForAll("shapes") Shape s, @ForAll long seed) {
        double p = -2 + 4 * new java.util.SplittableRandom(seed).nextDouble();
        assertGradients("pow", in -> in[0].pow(p), TensorValues.uniform(s, 0.5, 2, seed));
    }

    @Property(tries = 40)
    void clip(@ForAll("shapes") Shape s, @ForAll long seed) {
        // values ±[0.2, 2), bounds ±1.1 never closer than 0.1 to... only the bounds themselves matter:
        Tensor x = TensorValues.awayFromZero(s, seed).mul(0.9); // ±[0.18, 1.8)
        Tensor safe = x.add(x.sub(1.0).abs().lt(Tensor.scalar(0.05)).mul(0.1)); // push values off the bound 1.0
        assertGradients("clip", in -> in[0].clip(-1.0, 1.0), safe);
    }

    /** sign is piecewise constant: its gradient is exactly zero. */
    @Property(tries = 20)
    void signHasZeroGradient(@ForAll("shapes") Shape s, @ForAll long seed) {
        Tensor x = TensorValues.awayFromZero(s, seed).variable();
        Tensor g = Autodiff.grad(x.sign().mul(x).sum(), x).get(x);
        double[] expected = x.sign().toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], g.getFlat(i), 0.0); // d/dx [sign(x)·x] = sign(x) when sign contributes 0
        }
    }
}
