package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HIG's direction against references computed here by another route: the normal equations for κ = 1 (the
 * Gauss–Newton step, which solves linear least squares in one step) and a symmetric eigendecomposition of JᵀJ or
 * JJᵀ for κ = ½.
 */
class HalfInverseGradientsTest {
    /** y = W·x + b (one Linear layer): linear in θ, so L = ½‖y − t‖² is linear least squares. */
    @Test
    void kappaOneIsTheGaussNewtonStepAndSolvesLinearLeastSquaresInOneStep() {
        SplittableRandom rng = new SplittableRandom(1);
        MLP net = new MLP(new MLP.Config(2, 2, List.of(), Activation.RELU), 1); // 6 parameters
        Tensor x = Tensor.randn(rng, 5, 2);                                      // 10 rows ≥ 6 columns
        Tensor t = Tensor.randn(rng, 5, 2);
        Tensor g = net.forward(x).sub(t);                                        // ∂L/∂y
        DMatrixRMaj j = matrix(PerExampleJacobian.of(net.forward(x), net.parameterValues()));

        HalfInverseGradients gaussNewton = new HalfInverseGradients(new HalfInverseGradients.Config(1e-12, 1, 1000, HalfInverseGradients.Decomposition.SVD));
        Gradients d = gaussNewton.direction(net.parameters(), () -> net.forward(x), g);

        // Reference: (JᵀJ)δ = Jᵀg by EJML's linear solver.
        DMatrixRMaj jtj = new DMatrixRMaj(6, 6);
        CommonOps_DDRM.multTransA(j, j, jtj);
        DMatrixRMaj jtg = new DMatrixRMaj(6, 1);
        CommonOps_DDRM.multTransA(j, column(g.toDoubleArray()), jtg);
        DMatrixRMaj delta = new DMatrixRMaj(6, 1);
        assertTrue(CommonOps_DDRM.solve(jtj, jtg, delta));
        double[] flat = flatten(d);
        for (int i = 0; i < 6; i++) {
            assertEquals(delta.get(i), flat[i], 1e-10, "parameter " + i);
        }

        // One step with η = 1 lands on the least-squares optimum: the gradient Jᵀ(y − t) vanishes there.
        new SGD(net.parameters(), 1.0, 0).step(d);
        DMatrixRMaj r = column(net.forward(x).sub(t).toDoubleArray());
        DMatrixRMaj grad = new DMatrixRMaj(6, 1);
        CommonOps_DDRM.multTransA(j, r, grad);
        assertEquals(0, CommonOps_DDRM.elementMaxAbs(grad), 1e-10);
    }

    @Test
    void halfInverseMatchesTheEigendecompositionFormulaForTallAndWideJacobiansByBothRoutes() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int[] size : new int[][] {{7, 4}, {3, 6}}) {
            int rows = size[0];
            int cols = size[1];
            Tensor jt = Tensor.randn(rng, rows, cols);
            double[] g = Tensor.randn(rng, rows).toDoubleArray();
            double[] d = HalfInverseGradients.solve(jt, g, 1e-12, 0.5);
            DMatrixRMaj j = matrix(jt);
            DMatrixRMaj expected = new DMatrixRMaj(cols, 1);
            if (rows >= cols) {
                // J = UΣVᵀ ⇒ V·Σ^(−½)·Uᵀg = (JᵀJ)^(−¾)·Jᵀg
                DMatrixRMaj jtj = new DMatrixRMaj(cols, cols);
                CommonOps_DDRM.multTransA(j, j, jtj);
                DMatrixRMaj jtg = new DMatrixRMaj(cols, 1);
                CommonOps_DDRM.multTransA(j, column(g), jtg);
                CommonOps_DDRM.mult(symmetricPower(jtj, -0.75), jtg, expected);
            } else {
                // ⇒ Jᵀ·(JJᵀ)^(−¾)·g
                DMatrixRMaj jjt = new DMatrixRMaj(rows, rows);
                CommonOps_DDRM.multTransB(j, j, jjt);
                DMatrixRMaj inner = new DMatrixRMaj(rows, 1);
                CommonOps_DDRM.mult(symmetricPower(jjt, -0.75), column(g), inner);
                CommonOps_DDRM.multTransA(j, inner, expected);
            }
            double[] byGram = HalfInverseGradients.solveByGramEigen(jt, g, 1e-12, 0.5);
            for (int i = 0; i < cols; i++) {
                assertEquals(expected.get(i), d[i], 1e-9, rows + "×" + cols + " entry " + i);
                assertEquals(expected.get(i), byGram[i], 1e-9, "Gram route, " + rows + "×" + cols + " entry " + i);
            }
        }
    }

    /** J = diag(4, 1e-9): with truncation 1e-6 the second direction is dropped, the first scaled by 4^(−½). */
    @Test
    void singularValuesBelowTheTruncationRatioAreDropped() {
        Tensor j = Tensor.wrap(Shape.of(2, 2), new double[] {4, 0, 0, 1e-9});
        double[] d = HalfInverseGradients.solve(j, new double[] {2, 3}, 1e-6, 0.5);
        assertEquals(2 * 0.5, d[0], 1e-12);
        assertEquals(0, d[1], 0);
        double[] kept = HalfInverseGradients.solve(j, new double[] {2, 3}, 1e-10, 0.5);
        assertEquals(3 / Math.sqrt(1e-9), kept[1], 1e-3);
    }

    @Test
    void theHeatUNetIsRefusedWithTheJacobiansSizeAndTheLimit() {
        UNet unet = new UNet(new UNet.Config(1, 1, 4, 16, Norm.BATCH, Activation.RELU, Padding.CIRCULAR), 0);
        HalfInverseGradients hig = new HalfInverseGradients(HalfInverseGradients.Config.hig(1e-6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hig.checkSize(128, 64 * 64, unet.parameterValues()));
        assertTrue(e.getMessage().contains("524288 × 37697"), e.getMessage());
        assertTrue(e.getMessage().contains("limit of 2.00e+07 entries"), e.getMessage());
    }

    private static DMatrixRMaj symmetricPower(DMatrixRMaj a, double power) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(a.numRows, true, true);
        assertTrue(eig.decompose(a.copy()));
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
        for (int k = 0; k < a.numRows; k++) {
            double lambda = eig.getEigenvalue(k).getReal();
            DMatrixRMaj v = eig.getEigenVector(k);
            DMatrixRMaj vvt = new DMatrixRMaj(a.numRows, a.numRows);
            CommonOps_DDRM.multTransB(v, v, vvt);
            CommonOps_DDRM.addEquals(out, Math.pow(lambda, power), vvt);
        }
        return out;
    }

    private static DMatrixRMaj matrix(Tensor t) {
        return DMatrixRMaj.wrap(t.dim(0), t.dim(1), t.toDoubleArray());
    }

    private static DMatrixRMaj column(double[] v) {
        return DMatrixRMaj.wrap(v.length, 1, v.clone());
    }

    private static double[] flatten(Gradients g) {
        return g.asList().stream().flatMapToDouble(x -> java.util.Arrays.stream(x.toDoubleArray())).toArray();
    }
}
