package io.sipflow.autodiff;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Differentiable gradients: the default records nothing, hvp and jvp are exact, customVjp's defined behaviour. */
class SecondOrderTest {
    private static Tensor randn(long seed, int... dims) {
        return Tensor.randn(new SplittableRandom(seed), dims);
    }

    /** A loss that touches every op family whose VJP could record (unary, binary, reduce, matmul, shape). */
    private static Tensor busyLoss(Tensor x, Tensor w) {
        return x.matmul(w).exp().mul(x.sum(new int[] {1}, true)).slice(1, 0, 1).square().sum();
    }

    @Example
    void theDefaultBackwardRecordsNoNodes() {
        Tensor x = randn(1, 2, 3).variable();
        Tensor w = randn(2, 3, 2).variable();
        Gradients g = Autodiff.grad(busyLoss(x, w), x, w);
        for (Tensor gi : g.asList()) {
            assertNull(gi.node(), "a first-order gradient has no node");
            assertFalse(gi.requiresGrad(), "a first-order gradient is a constant");
        }
        Gradients recorded = Autodiff.grad(busyLoss(x, w), List.of(x, w), Autodiff.Differentiable.YES);
        for (Tensor gi : recorded.asList()) {
            assertTrue(gi.requiresGrad(), "Differentiable.YES records the backward pass");
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(java.util.Arrays.equals(g.get(i).toDoubleArray(), recorded.get(i).toDoubleArray()),
                    "recording the backward pass changes no value");
        }
    }

    @Example
    void recordingNeedsTheForwardGraph() {
        Tensor x = randn(2, 3).variable();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autodiff.grad(
                x.square().sum(), List.of(x), Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.FREE_GRAPH,
                Autodiff.Differentiable.YES));
        assertTrue(e.getMessage().contains("KEEP_GRAPH"), e.getMessage());
    }

    @Example
    void javadocExamples() {
        Tensor x = Tensor.vector(1, 2).variable();
        Tensor g = Autodiff.grad(x.pow(3).sum(), List.of(x), Autodiff.Differentiable.YES).get(x);
        assertArrayEquals(new double[] {6, 12}, Autodiff.grad(g.sum(), x).get(x));
        assertArrayEquals(new double[] {6, 0}, Autodiff.hvp(t -> t.pow(3).sum(), x, Tensor.vector(1, 0)));
        assertArrayEquals(new double[] {2, 4}, Autodiff.jvp(t -> t.square(), x, Tensor.vector(1, 1)));
    }

    /** f(x) = ½xᵀAx + bᵀx has the Hessian (A + Aᵀ)/2 everywhere: hvp with each unit vector gives one column. */
    @Property(tries = 30)
    void exactHessianOfAQuadratic(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        Tensor a = randn(seed, n, n);
        Tensor b = randn(~seed, n, 1);
        Tensor x = randn(seed + 1, n, 1);
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            Tensor column = Autodiff.hvp(t -> t.transpose().matmul(a).matmul(t).mul(0.5).add(b.transpose().matmul(t))
                    .sum(), x, Tensor.of(Shape.of(n, 1), e));
            for (int i = 0; i < n; i++) {
                double expected = 0.5 * (a.get(i, j) + a.get(j, i));
                assertEquals(expected, column.get(i, 0), 1e-14 * (1 + Math.abs(expected)), "H[" + i + "][" + j + "]");
            }
        }
    }

    /** jvp against the Jacobian built row by row from first-order VJPs (two independent routes to J·v). */
    @Property(tries = 30)
    void jvpEqualsTheJacobianTimesV(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 4) int m,
                                   @ForAll long seed) {
        Tensor w = randn(seed, m, n);
        Tensor x = randn(~seed, n, 1);
        Tensor v = randn(seed + 7, n, 1);
        java.util.function.Function<Tensor, Tensor> f = t -> w.matmul(t.exp()).square().add(t.sum().mul(w.sum(new int[] {1}, true)));
        Tensor jv = Autodiff.jvp(f, x, v);
        Tensor xv = x.variable();
        Tensor y = f.apply(xv);
        for (int i = 0; i < m; i++) {
            double[] seedRow = new double[m];
            seedRow[i] = 1;
            Tensor row = Autodiff.vjp(y, Tensor.of(Shape.of(m, 1), seedRow), List.of(xv), Autodiff.Disconnected.ZERO)
                    .get(0);
            double expected = row.mul(v).sum().item();
            assertEquals(expected, jv.get(i, 0), 1e-12 * (1 + Math.abs(expected)), "(J·v)[" + i + "]");
        }
    }

    /** ReLU, max, maximum and abs are piecewise linear: their second derivative is exactly 0 away from the kinks. */
    @Property(tries = 30)
    void piecewiseLinearOpsHaveZeroSecondDerivative(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        Tensor x = randn(seed, n, 3);
        Tensor w = randn(~seed, n, 3);
        Tensor v = randn(seed + 3, n, 3);
        List<java.util.function.Function<Tensor, Tensor>> fs = List.of(
                t -> t.relu().mul(w).sum(),
                t -> t.max(new int[] {1}, false).mul(w.slice(1, 0, 1).reshape(n)).sum(),
                t -> t.maximum(w).mul(w).sum(),
                t -> t.abs().mul(w).sum());
        for (var f : fs) {
            Tensor hv = Autodiff.hvp(f, x, v);
            for (int i = 0; i < hv.size(); i++) {
                assertEquals(0.0, hv.getFlat(i), 0.0);
            }
        }
    }

    @Example
    void customVjpWrittenWithOpsIsDifferentiable() {
        Tensor x = Tensor.vector(1, -2, 0.5);
        Tensor v = Tensor.vector(1, 1, 2);
        Tensor hv = Autodiff.hvp(t -> Autodiff.customVjp("cube", in -> in[0].mul(in[0]).mul(in[0]),
                (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(3)}, t).sum(), x, v);
        assertArrayEquals(new double[] {6, -12, 6}, hv); // 6x·v
        Tensor hvExp = Autodiff.hvp(t -> Autodiff.customVjp("myExp", in -> in[0].exp(),
                (in, out, g) -> new Tensor[] {g.mul(out)}, t).sum(), x, v);
        assertArrayEquals(x.exp().mul(v).toDoubleArray(), hvExp); // the output is handed over recorded
    }

    @Example
    void customVjpThatReadsValuesRefusesASecondDerivative() {
        Tensor x = Tensor.vector(1, -2, 0.5);
        java.util.function.Function<Tensor, Tensor> sinSum = t -> Autodiff.customVjp("mySin",
                in -> map(in[0], Math::sin), (in, out, g) -> new Tensor[] {g.mul(map(in[0], Math::cos))}, t).sum();
        assertArrayEquals(map(x, Math::cos).toDoubleArray(), Autodiff.valueAndGrad(sinSum, x).gradient());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autodiff.hvp(sinSum, x, Tensor.vector(1, 1, 1)));
        assertTrue(e.getMessage().contains("mySin"), e.getMessage());
    }

    /** An op recorded with a VJP computed off the graph (a host copy of g) is refused at second order, by name. */
    @Example
    void aVjpComputedOffTheGraphRefusesASecondDerivative() {
        java.util.function.Function<Tensor, Tensor> doubled = t -> Graph.record("hostDouble", t.constant().mul(2.0),
                t, g -> new Tensor[] {Tensor.wrap(g.shape(), g.mul(2.0).toDoubleArray())});
        Tensor x = Tensor.vector(1, 2);
        assertArrayEquals(new double[] {8, 16}, Autodiff.valueAndGrad(t -> doubled.apply(t).square().sum(), x)
                .gradient()); // d/dx (2x)² = 8x: first order is unaffected
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autodiff.hvp(t -> doubled.apply(t).square().sum(), x, Tensor.vector(1, 1)));
        assertTrue(e.getMessage().contains("hostDouble"), e.getMessage());
    }

    /**
     * GradCheck.checkSecondOrder catches a VJP that is right at first order but not differentiable as written:
     * x³ with the VJP g·3·stop(x)² passes the first-order check and fails the second-order one.
     */
    @Example
    void checkSecondOrderCatchesAWrongSecondDerivative() {
        java.util.function.Function<Tensor[], Tensor> cube = in -> Autodiff.customVjp("stoppedCube",
                t -> t[0].pow(3), (t, out, g) -> new Tensor[] {g.mul(t[0].stopGradient().square()).mul(3)}, in[0]);
        Tensor x = Tensor.vector(0.5, -1.5, 2);
        GradCheck.check("stoppedCube", cube, x).assertPassed();
        GradCheck.Report r = GradCheck.checkSecondOrder("stoppedCube", cube, GradCheck.Options.secondOrder(), x);
        assertFalse(r.passed(), r.toString());
        assertTrue(r.toString().contains("stoppedCube (second order): FAILED"), r.toString());
    }

    /** Recording a recorded backward pass again gives third derivatives: d³/dx³ Σ x⁴ = 24x. */
    @Example
    void thirdOrder() {
        Tensor x = Tensor.vector(1, -2, 0.5).variable();
        Tensor g1 = Autodiff.grad(x.pow(4).sum(), List.of(x), Autodiff.Differentiable.YES).get(x);
        Tensor g2 = Autodiff.grad(g1.sum(), List.of(x), Autodiff.Differentiable.YES).get(x);
        assertArrayEquals(new double[] {24, -48, 12}, Autodiff.grad(g2.sum(), x).get(x));
    }

    private static Tensor map(Tensor x, java.util.function.DoubleUnaryOperator f) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(v[i]);
        }
        return Tensor.wrap(x.shape(), v);
    }

    private static void assertArrayEquals(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toDoubleArray());
    }

    private static void assertArrayEquals(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    @Example
    void aBackwardPassVisitsOnlyOpsThatLeadToTheWantedInputs() {
        // loss = Σ counted(x)·z: the gradient with respect to z alone needs no VJP of 'counted'
        int[] calls = {0};
        Tensor x = Tensor.vector(1, 2, 3).variable();
        Tensor z = Tensor.vector(4, 5, 6).variable();
        Tensor counted = Autodiff.customVjp("counted", in -> in[0].square(), (in, out, g) -> {
            calls[0]++;
            return new Tensor[] {g.mul(in[0]).mul(2)};
        }, x);
        Tensor loss = counted.mul(z).sum();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 4, 9}, Autodiff.grad(loss, List.of(z)).get(z).toDoubleArray(), 0.0);
        assertEquals(0, calls[0], "the VJP of an op that does not lead to z");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {8, 20, 36}, Autodiff.grad(loss, List.of(x)).get(x).toDoubleArray(), 0.0);
        assertEquals(1, calls[0]);
        // a Jacobian-vector product by the double-VJP trick differentiates the recorded Jᵀu with respect to u alone:
        // it must not carry adjoints on through the forward graph (here: through 'counted' again)
        calls[0] = 0;
        // (exp's VJP reads the recorded output, so the recorded Jᵀu = u·exp(x) has the forward op as an ancestor)
        Tensor jv = Autodiff.jvp(t -> Autodiff.customVjp("counted", in -> in[0].exp(), (in, out, g) -> {
            calls[0]++;
            return new Tensor[] {g.mul(out)};
        }, t), Tensor.vector(0, 1, 2), Tensor.vector(1, 0, 1));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 0, StrictMath.exp(2)}, jv.toDoubleArray(), 1e-15);
        assertEquals(1, calls[0], "the recorded VJP runs once, in the recorded pass");
    }
}
