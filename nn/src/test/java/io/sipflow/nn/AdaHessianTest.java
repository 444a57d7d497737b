package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AdaHessian's update by hand, Hutchinson's diagonal on quadratics, spatial averaging, resume. */
class AdaHessianTest {
    /** ½θᵀAθ + bᵀθ with a symmetric A: gradient Aθ + b, Hessian A. */
    private static Tensor quadratic(Tensor theta, double[][] a, double[] b) {
        return theta.reshape(1, theta.size()).matmul(Tensor.matrix(a)).reshape(theta.size()).mul(theta).sum().mul(0.5).add(theta.mul(Tensor.vector(b)).sum());
    }

    private static final double[][] A = {{4, 1, -2}, {1, 3, 0.5}, {-2, 0.5, 5}};
    private static final double[] B = {1, -1, 0.5};

    @Test
    void firstStepByHand() {
        // t = 1: m̂ = g, √(v / (1 − β₂)) = |D|, so θ₁ = θ₀ − lr·g / (|D| + ε) (with k = 1, wd = 0)
        Parameter p = new Parameter("w", Tensor.vector(1, -2, 3));
        AdaHessian.Settings s = new AdaHessian.Settings(0.1, 0.9, 0.999, 1e-4, 1, 0);
        AdaHessian opt = new AdaHessian(List.of(p), s, 7);
        Tensor key = p.value();
        opt.curvature(Gradients.of(List.of(key), List.of(Tensor.vector(2, -0.5, 4))));
        opt.step(Gradients.of(List.of(key), List.of(Tensor.vector(0.4, 1, -3))));
        double[] expected = {1 - 0.1 * 0.4 / (2 + 1e-4), -2 - 0.1 * 1 / (0.5 + 1e-4), 3 - 0.1 * -3 / (4 + 1e-4)};
        assertArrayEquals(expected, p.value().toDoubleArray(), 1e-14);
        assertEquals(1, opt.steps());
    }

    @Test
    void secondStepWithPowerAndWeightDecayByHand() {
        Parameter p = new Parameter("w", Tensor.vector(2.0));
        AdaHessian.Settings s = new AdaHessian.Settings(0.5, 0.8, 0.9, 1e-3, 0.5, 0.1);
        AdaHessian opt = new AdaHessian(List.of(p), s, 0);
        double theta = 2;
        double m = 0;
        double v = 0;
        double[][] gd = {{1.5, 3}, {-0.5, 2}};
        for (int t = 1; t <= 2; t++) {
            Tensor key = p.value();
            opt.curvature(Gradients.of(List.of(key), List.of(Tensor.vector(gd[t - 1][1]))));
            opt.step(Gradients.of(List.of(key), List.of(Tensor.vector(gd[t - 1][0]))));
            m = 0.8 * m + 0.2 * gd[t - 1][0];
            v = 0.9 * v + 0.1 * gd[t - 1][1] * gd[t - 1][1];
            double mHat = m / (1 - Math.pow(0.8, t));
            double denom = Math.pow(Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.9, t)), 0.5) + 1e-3;
            theta -= 0.5 * (mHat / denom + 0.1 * theta);
        }
        assertEquals(theta, p.value().item(), 1e-14);
    }

    @Test
    void aStepWithoutADiagonalIsRefused() {
        Parameter p = new Parameter("w", Tensor.vector(1.0));
        AdaHessian opt = new AdaHessian(List.of(p), AdaHessian.Settings.DEFAULTS, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> opt.step(Gradients.of(List.of(p.value()), List.of(Tensor.vector(1.0)))));
        assertTrue(e.getMessage().contains("curvature"), e.getMessage());
    }

    @Test
    void defaultsAreTheAuthors() {
        AdaHessian.Settings d = AdaHessian.Settings.DEFAULTS;
        assertEquals(List.of(0.15, 0.9, 0.999, 1e-4, 1.0, 0.0),
                List.of(d.lr(), d.beta1(), d.beta2(), d.eps(), d.hessianPower(), d.weightDecay()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdaHessian.Settings(0.1, 0.9, 0.999, 1e-4, 1.5, 0));
        assertTrue(e.getMessage().contains("hessian power=1.5"), e.getMessage());
    }

    @Test
    void hutchinsonIsExactForADiagonalHessianAndGivesTheGradient() {
        double[][] diag = {{4, 0, 0}, {0, -3, 0}, {0, 0, 0.5}};
        Tensor theta = Tensor.vector(0.3, -1, 2).variable();
        Hutchinson.Estimate e = Hutchinson.estimate(quadratic(theta, diag, B), List.of(theta), new SplittableRandom(3));
        assertArrayEquals(new double[] {4, -3, 0.5}, e.diagonal().get(theta).toDoubleArray(), 1e-12);
        // gradient Aθ + b
        assertArrayEquals(new double[] {4 * 0.3 + 1, -3 * -1 - 1, 0.5 * 2 + 0.5},
                e.gradient().get(theta).toDoubleArray(), 1e-12);
    }

    @Test
    void hutchinsonMatchesTheDiagonalInExpectation() {
        // D = z ⊙ Az = diag(A) + Σ_{j≠i} A_ij z_i z_j: each probe is off by ±(sums of off-diagonals); the mean over
        // N probes is off by at most a few times Σ|A_ij| / √N
        Tensor theta = Tensor.vector(0.3, -1, 2).variable();
        SplittableRandom rng = new SplittableRandom(11);
        int n = 4000;
        double[] mean = new double[3];
        boolean anyProbeMisses = false;
        for (int k = 0; k < n; k++) {
            Tensor th = theta.constant().variable();
            double[] d = Hutchinson.estimate(quadratic(th, A, B), List.of(th), rng).diagonal().get(th).toDoubleArray();
            for (int i = 0; i < 3; i++) {
                mean[i] += d[i] / n;
                anyProbeMisses |= Math.abs(d[i] - A[i][i]) > 0.1;
            }
        }
        assertTrue(anyProbeMisses, "single probes must differ from the diagonal (A is not diagonal)");
        assertArrayEquals(new double[] {4, 3, 5}, mean, 4 * 3.0 / Math.sqrt(n));
    }

    @Test
    void convolutionKernelsAreAveragedOverTheirSpatialBlock() {
        // L = Σ c ⊙ w² / 2 over a 2×1×2×2 kernel: H = diag(c), D = c exactly, then averaged per (out, in) block
        double[] c = {1, 2, 3, 6, -1, -1, -1, -5};
        Tensor w = Tensor.of(DType.FLOAT64, Shape.of(2, 1, 2, 2), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8).variable();
        Tensor loss = w.square().mul(Tensor.of(DType.FLOAT64, Shape.of(2, 1, 2, 2), c)).sum().mul(0.5);
        Hutchinson.Estimate e = Hutchinson.estimate(loss, List.of(w), new SplittableRandom(1));
        assertArrayEquals(new double[] {3, 3, 3, 3, -2, -2, -2, -2}, e.diagonal().get(w).toDoubleArray(), 1e-12);
        // a vector parameter keeps its own entries
        Tensor v = Tensor.vector(1, 2).variable();
        Tensor l2 = v.square().mul(Tensor.vector(3, 7)).sum();
        assertArrayEquals(new double[] {6, 14},
                Hutchinson.estimate(l2, List.of(v), new SplittableRandom(1)).diagonal().get(v).toDoubleArray(), 1e-12);
    }

    @Test
    void probesAreTheSameAfterAResume() {
        Parameter p = new Parameter("w", Tensor.vector(1, 2, 3, 4));
        AdaHessian a = new AdaHessian(List.of(p), AdaHessian.Settings.DEFAULTS, 42);
        for (int t = 0; t < 3; t++) {
            a.curvature(Gradients.of(List.of(p.value()), List.of(Tensor.vector(1, 1, 1, 1))));
            a.step(Gradients.of(List.of(p.value()), List.of(Tensor.vector(0.1, 0.2, 0.3, 0.4))));
        }
        Map<String, Tensor> state = a.state();
        AdaHessian b = new AdaHessian(List.of(p), AdaHessian.Settings.DEFAULTS, 42);
        b.loadState(state);
        assertEquals(3, b.steps());
        assertEquals(a.probes().nextLong(), b.probes().nextLong());
        AdaHessian fresh = new AdaHessian(List.of(p), AdaHessian.Settings.DEFAULTS, 42);
        assertTrue(fresh.probes().nextLong() != a.probes().nextLong(), "step 1's probes differ from step 4's");
        assertArrayEquals(state.get("adahessian.v.w").toDoubleArray(), b.state().get("adahessian.v.w").toDoubleArray());
    }

    @Test
    void trainsAQuadraticDownFromTheStart() {
        Parameter p = new Parameter("w", Tensor.vector(2, -1, 1));
        AdaHessian opt = new AdaHessian(List.of(p), AdaHessian.Settings.DEFAULTS, 5);
        double first = quadratic(p.value(), A, B).item();
        double previous = first;
        for (int t = 0; t < 30; t++) {
            Tensor loss = quadratic(p.value(), A, B);
            Hutchinson.Estimate e = Hutchinson.estimate(loss, List.of(p.value()), opt.probes());
            opt.curvature(e.diagonal());
            opt.step(e.gradient());
            if (t == 0) {
                assertTrue(Autodiff.noGrad(() -> quadratic(p.value(), A, B)).item() < first, "the first step lowers L");
            }
            previous = Autodiff.noGrad(() -> quadratic(p.value(), A, B)).item();
        }
        // minimum −½bᵀA⁻¹b
        assertTrue(previous < first - 0.9 * (first - minimum()), "30 steps close 90% of the gap: " + previous);
    }

    private static double minimum() {
        org.ejml.data.DMatrixRMaj a = new org.ejml.data.DMatrixRMaj(A);
        org.ejml.data.DMatrixRMaj b = new org.ejml.data.DMatrixRMaj(3, 1, true, B);
        org.ejml.data.DMatrixRMaj x = new org.ejml.data.DMatrixRMaj(3, 1);
        org.ejml.dense.row.CommonOps_DDRM.solve(a, b, x);
        return -0.5 * (B[0] * x.get(0) + B[1] * x.get(1) + B[2] * x.get(2));
    }
}
