package io.sipflow.autodiff;

import io.sipflow.testkit.TensorArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Solve.cg on dense symmetric positive definite matrices with condition number ≤ 10 (from the kit): CG's defining
 * properties, which a solve that merely converges (say, steepest descent, or one stopping test for the whole batch)
 * does not have.
 */
class SolveConvergenceProperties {
    private static final double KAPPA = 10;

    @Provide
    Arbitrary<Tensor> spd() {
        return TensorArbitraries.symmetricPositiveDefiniteMatrices(2, 6, KAPPA);
    }

    /** In exact arithmetic CG solves an n×n SPD system in n steps; with κ ≤ 10 rounding leaves ~1e-15. */
    @Property(tries = 50)
    void cgSolvesAnNByNSystemInNIterations(@ForAll("spd") Tensor a, @ForAll long seed) {
        int n = a.dim(0);
        Tensor b = Tensor.randn(new SplittableRandom(seed), n);
        UnaryOperator<Tensor> op = v -> a.matmul(v.reshape(n, 1)).reshape(n);
        Tensor x = Solve.cg(op, b, 1e-10, n);
        assertRelativeResidual(op.apply(x), b, 1e-10, "n = " + n);
    }

    /**
     * Axis 0 of b holds independent systems, each with its own step sizes and stopping test ‖r_i‖ ≤ tol·‖b_i‖: scaled
     * by 10^k each (k in −6..6), every example is solved as if alone, to its own relative tolerance.
     */
    @Property(tries = 50)
    void batchedExamplesAreSolvedIndependentlyAtAnyScale(@ForAll("spd") Tensor a,
                                                         @ForAll @IntRange(min = 2, max = 3) int batch,
                                                         @ForAll long seed) {
        int n = a.dim(0);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[batch * n];
        for (int i = 0; i < batch; i++) {
            double scale = Math.pow(10, rng.nextInt(-6, 7));
            for (int k = 0; k < n; k++) {
                values[i * n + k] = scale * rng.nextGaussian();
            }
        }
        Tensor b = Tensor.of(Shape.of(batch, n), values);
        double tol = 1e-8;
        Tensor x = Solve.cg(v -> v.matmul(a), b, tol, 100); // row i ↦ A·x_i (A symmetric)
        UnaryOperator<Tensor> single = v -> a.matmul(v.reshape(n, 1)).reshape(n);
        for (int i = 0; i < batch; i++) {
            Tensor bi = b.slice(0, i, i + 1).reshape(n);
            Tensor xi = x.slice(0, i, i + 1).reshape(n);
            String where = "example " + i + " of " + batch + ", n = " + n + ", seed " + seed;
            assertRelativeResidual(single.apply(xi), bi, tol, where);
            double[] alone = Solve.cg(single, bi, tol, 100).toDoubleArray();
            double[] inBatch = xi.toDoubleArray();
            double largest = 0;
            for (double v : alone) {
                largest = Math.max(largest, Math.abs(v));
            }
            for (int k = 0; k < n; k++) {
                assertTrue(Math.abs(alone[k] - inBatch[k]) <= 1e-9 * largest,
                        where + ": element " + k + " alone " + alone[k] + ", in the batch " + inBatch[k]);
            }
        }
    }

    /** ‖Ax − b‖ ≤ tol·‖b‖, with room for the rounding between CG's updated residual and the true one. */
    private static void assertRelativeResidual(Tensor ax, Tensor b, double tol, String where) {
        double rr = ax.sub(b).square().sum().item();
        double bb = b.square().sum().item();
        assertTrue(Math.sqrt(rr) <= (1.01 * tol + 1e-13) * Math.sqrt(bb),
                where + ": ‖Ax − b‖ = " + Math.sqrt(rr) + ", ‖b‖ = " + Math.sqrt(bb) + ", tolerance " + tol);
    }
}
