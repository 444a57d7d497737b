package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hessian-free on linear least squares, where Gauss–Newton is the exact Hessian. */
class HessianFreeTest {
    // r(θ) = Mθ − y, L = ½‖r‖², G = MᵀM, minimiser θ* = (MᵀM)⁻¹Mᵀy
    private static final double[][] M = {{2, 1, 0}, {1, 3, 1}, {0, 1, 4}, {1, 0, 1}};
    private static final double[] Y = {1, -2, 3, 0.5};

    private static Tensor residual(Tensor theta) {
        return Tensor.matrix(M).matmul(theta.reshape(3, 1)).reshape(4).sub(Tensor.vector(Y));
    }

    private static double loss(Tensor theta) {
        return Autodiff.noGrad(() -> residual(theta).square().sum().mul(0.5)).item();
    }

    /** G·v = Mᵀ(M·v), written out. */
    private static List<Tensor> gaussNewton(List<Tensor> v) {
        double[] x = v.get(0).toDoubleArray();
        double[] mv = new double[4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                mv[i] += M[i][j] * x[j];
            }
        }
        double[] out = new double[3];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 4; i++) {
                out[j] += M[i][j] * mv[i];
            }
        }
        List<Tensor> r = new ArrayList<>();
        r.add(Tensor.vector(out));
        return r;
    }

    private static Gradients gradient(Parameter p) {
        return Autodiff.grad(residual(p.value()).square().sum().mul(0.5), List.of(p.value()));
    }

    @Test
    void solvesLinearLeastSquaresInOneStepWithoutDamping() {
        Parameter p = new Parameter("theta", Tensor.vector(5, -4, 2));
        HessianFree hf = new HessianFree(List.of(p), new HessianFree.Settings(0, 3, 0, true));
        double before = loss(p.value());
        Gradients d = hf.direction(gradient(p), HessianFreeTest::gaussNewton);
        hf.step(d);
        // θ* from the normal equations, solved independently
        org.ejml.data.DMatrixRMaj m = new org.ejml.data.DMatrixRMaj(M);
        org.ejml.data.DMatrixRMaj y = new org.ejml.data.DMatrixRMaj(4, 1, true, Y);
        org.ejml.data.DMatrixRMaj star = new org.ejml.data.DMatrixRMaj(3, 1);
        org.ejml.dense.row.CommonOps_DDRM.solve(m, y, star); // least squares for a tall M
        assertArrayEquals(star.getData(), p.value().toDoubleArray(), 1e-10);
        assertTrue(hf.lastIterations() <= 3, "CG on 3 unknowns needs at most 3 products");
        // on a quadratic the model is exact: ρ = 1, so λ·2/3 (0 stays 0)
        assertEquals(1, hf.adjustDamping(before, loss(p.value())), 1e-9);
        assertEquals(0, hf.damping());
    }

    @Test
    void dampingShortensTheStepAndAdaptsByLevenbergMarquardt() {
        Parameter p = new Parameter("theta", Tensor.vector(5, -4, 2));
        HessianFree hf = new HessianFree(List.of(p), new HessianFree.Settings(10, 3, 0, true));
        double before = loss(p.value());
        Gradients g = gradient(p);
        Gradients d = hf.direction(g, HessianFreeTest::gaussNewton);
        // (MᵀM + 10 I) d = −g, checked by its residual
        double[] dv = d.get(p.value()).toDoubleArray();
        double[] gdv = gaussNewton(List.of(Tensor.vector(dv))).get(0).toDoubleArray();
        double[] gv = g.get(p.value()).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(-gv[i], gdv[i] + 10 * dv[i], 1e-9);
        }
        hf.step(d);
        double after = loss(p.value());
        assertTrue(after < before);
        // ρ = (after − before)/q(d) with q exact for a quadratic; λ rises or falls by the thresholds
        double rho = hf.adjustDamping(before, after);
        double q = 0;
        double dgd = 0;
        for (int i = 0; i < 3; i++) {
            q += gv[i] * dv[i];
            dgd += dv[i] * gdv[i];
        }
        q += 0.5 * dgd;
        assertEquals((after - before) / q, rho, 1e-9);
        assertEquals(rho > 0.75 ? 10 * 2.0 / 3 : rho < 0.25 ? 15 : 10, hf.damping(), 1e-12);
        // a step that made the loss worse raises λ by 3/2
        double lambda = hf.damping();
        hf.direction(gradient(p), HessianFreeTest::gaussNewton);
        hf.adjustDamping(after, after + 1);
        assertEquals(lambda * 1.5, hf.damping(), 1e-12);
    }

    @Test
    void capOnIterationsIsKept() {
        Parameter p = new Parameter("theta", Tensor.vector(5, -4, 2));
        int[] products = {0};
        HessianFree hf = new HessianFree(List.of(p), new HessianFree.Settings(0, 2, 0, false));
        hf.direction(gradient(p), v -> {
            products[0]++;
            return gaussNewton(v);
        });
        assertEquals(2, products[0]);
        assertEquals(2, hf.lastIterations());
    }

    @Test
    void dampingIsInTheCheckpointState() {
        Parameter p = new Parameter("theta", Tensor.vector(5, -4, 2));
        HessianFree hf = new HessianFree(List.of(p), HessianFree.Settings.DEFAULTS);
        hf.direction(gradient(p), HessianFreeTest::gaussNewton);
        hf.adjustDamping(1, 2); // worse: λ = 1.5
        Map<String, Tensor> state = hf.state();
        HessianFree back = new HessianFree(List.of(p), HessianFree.Settings.DEFAULTS);
        back.loadState(state);
        assertEquals(1.5, back.damping());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HessianFree.Settings(-1, 10, 1e-6, true));
        assertTrue(e.getMessage().contains("damping=-1"), e.getMessage());
    }
}
