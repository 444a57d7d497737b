package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.ShapeOps;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Solve.cg on right-hand sides far from magnitude 1: the solution scales linearly with b (x(s·b) = s·x(b)) at
 * 1e160 and 1e-200, where squared norms overflow or underflow, instead of stopping at x = 0 with a residual test
 * that ∞ or 0 passes; ordinary magnitudes are solved exactly as before.
 */
class SolveRangeTest {
    private static final double TOLERANCE = 1e-12;
    /** A(v) = ∇²v on 6×6 fields with zeros outside: symmetric, negative definite, does not mix examples. */
    private static final UnaryOperator<Tensor> LAPLACE = SolveRangeTest::laplace2d;

    @Test
    void hugeAndTinyRightHandSidesGiveScaledSolutions() {
        Tensor b = Tensor.randn(new SplittableRandom(11), 2, 6, 6);
        Tensor x = Solve.cg(LAPLACE, b, TOLERANCE, 500);
        assertTrue(maxAbs(x) > 0.1, "the reference solution is not zero");
        for (double scale : new double[] {1e160, 1e-200, 1e300, 1e-300}) {
            Tensor scaled = Solve.cg(LAPLACE, b.mul(scale), TOLERANCE, 500);
            double error = maxAbs(scaled.div(scale).sub(x)) / maxAbs(x);
            assertTrue(error < 1e-9, "b·" + scale + ": max |x(s·b)/s − x(b)| / max|x(b)| = " + error);
        }
    }

    /** A power-of-two scale is exact in binary floating point, so the solution is exactly 2ᵏ·x(b), bit for bit. */
    @Test
    void powerOfTwoScalesAreExact() {
        Tensor b = Tensor.randn(new SplittableRandom(12), 1, 6, 6);
        double[] x = Solve.cg(LAPLACE, b, 1e-8, 500).toDoubleArray();
        for (int k : new int[] {600, -700, 1000, -1000}) {
            double[] scaled = Solve.cg(LAPLACE, b.mul(Math.scalb(1.0, k)), 1e-8, 500).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Math.scalb(x[i], k), scaled[i], 0.0, "2^" + k + ", value " + i);
            }
        }
    }

    /** Each example is scaled on its own: a batch of 1e160, 1 and 1e-200 fields solves every one of them. */
    @Test
    void examplesOfDifferentMagnitudesInOneBatch() {
        Tensor b = Tensor.randn(new SplittableRandom(13), 3, 6, 6);
        Tensor mixed = b.mul(Tensor.of(DType.FLOAT64, Shape.of(3, 1, 1), 1e160, 1, 1e-200));
        double[] x = Solve.cg(LAPLACE, mixed, TOLERANCE, 500).toDoubleArray();
        double[] reference = Solve.cg(LAPLACE, b, TOLERANCE, 500).toDoubleArray();
        double[] scales = {1e160, 1, 1e-200};
        for (int i = 0; i < x.length; i++) {
            double expected = reference[i] * scales[i / 36];
            assertEquals(expected, x[i], 1e-9 * Math.abs(scales[i / 36]) * 10, "value " + i);
        }
    }

    /** The adjoint solve of the VJP is scaled too: a loss scaled by 1e-200 gives a gradient scaled by 1e-200. */
    @Test
    void gradientsOfTinyLossesAreNotZero() {
        Tensor b = Tensor.randn(new SplittableRandom(14), 1, 6, 6).variable();
        Tensor x = Solve.cg(LAPLACE, b, TOLERANCE, 500);
        Tensor g = Autodiff.grad(x.sum(), List.of(b)).get(b);
        Tensor tiny = Autodiff.grad(x.sum().mul(1e-200), List.of(b)).get(b);
        double error = maxAbs(tiny.div(1e-200).sub(g)) / maxAbs(g);
        assertTrue(maxAbs(g) > 0.1 && error < 1e-9, "relative error " + error);
    }

    /** FLOAT32 has a narrower range (floats below 1.2e-38 lose digits): 1e-30 and 1e30 solve like 1. */
    @Test
    void float32RightHandSidesFarFromOne() {
        Tensor b = Tensor.randn(new SplittableRandom(15), 1, 6, 6);
        Tensor x = Solve.cg(LAPLACE, b, 1e-5, 500);
        for (double scale : new double[] {1e30, 1e-30}) {
            Tensor b32 = b.mul(scale).to(DType.FLOAT32);
            Tensor x32 = Solve.cg(LAPLACE, b32, 1e-5, 500);
            assertEquals(DType.FLOAT32, x32.dtype());
            double error = maxAbs(x32.to(DType.FLOAT64).div(scale).sub(x)) / maxAbs(x);
            assertTrue(error < 1e-4, "float32 b·" + scale + ": relative error " + error);
        }
    }

    /** b = 0 has the solution 0 (nothing to scale: the exponent of 0 is not taken). */
    @Test
    void zeroRightHandSideStaysZero() {
        Tensor zero = Tensor.full(DType.FLOAT64, Shape.of(2, 6, 6), 0.0);
        assertArrayEquals(new double[72], Solve.cg(LAPLACE, zero, TOLERANCE, 500).toDoubleArray(), 0.0);
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item();
    }

    /** The 5-point Laplacian over the last two axes with zeros outside, from differentiable ops. */
    private static Tensor laplace2d(Tensor v) {
        int r = v.rank();
        int ny = v.dim(-2);
        int nx = v.dim(-1);
        int[] pad = new int[r];
        pad[r - 2] = 1;
        pad[r - 1] = 1;
        Tensor p = ShapeOps.pad(v, pad, pad, Padding.ZERO);
        Tensor up = p.slice(r - 2, 0, ny).slice(r - 1, 1, nx + 1);
        Tensor down = p.slice(r - 2, 2, ny + 2).slice(r - 1, 1, nx + 1);
        Tensor left = p.slice(r - 2, 1, ny + 1).slice(r - 1, 0, nx);
        Tensor right = p.slice(r - 2, 1, ny + 1).slice(r - 1, 2, nx + 2);
        return up.add(down).add(left).add(right).sub(v.mul(4));
    }
}
