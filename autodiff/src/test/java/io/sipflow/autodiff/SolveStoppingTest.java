package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Solve.cg at the boundaries of its stopping test and arguments: zero right-hand sides, tolerance 0, no iterations
 * allowed, what NotConverged reports, and the type of the result.
 */
class SolveStoppingTest {
    private static final UnaryOperator<Tensor> TWICE = v -> v.mul(2);

    /** ‖r‖ = 0 ≤ tolerance·‖b‖ = 0 holds before any iteration, so b = 0 needs none. */
    @Test
    void aZeroRightHandSideIsSolvedWithoutIterating() {
        assertArrayEquals(new double[3], Solve.cg(TWICE, Tensor.zeros(3), 1e-8, 0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[6], Solve.cg(TWICE, Tensor.zeros(2, 3), 1e-8, 0).toDoubleArray(), 0.0);
    }

    /** Tolerance 0 asks for an exact residual; starting at the exact solution gives it with no iteration. */
    @Test
    void toleranceZeroAcceptsAnExactStart() {
        Tensor x0 = Tensor.vector(1, 2, 3);
        Tensor x = Solve.cg(TWICE, Tensor.vector(2, 4, 6), 0, 0, x0);
        assertArrayEquals(new double[] {1, 2, 3}, x.toDoubleArray(), 0.0);
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor b = Tensor.vector(1, 2, 3);
        String need = "Solve.cg: need tolerance ≥ 0 and maxIterations ≥ 0, got ";
        assertMessage(() -> Solve.cg(TWICE, b, -1e-3, 10), need + "-0.001 and 10");
        assertMessage(() -> Solve.cg(TWICE, b, Double.NaN, 10), need + "NaN and 10");
        assertMessage(() -> Solve.cg(TWICE, b, 1e-6, -1), need + "1.0E-6 and -1");
        assertMessage(() -> Solve.cg(TWICE, b, 1e-6, 10, Tensor.zeros(2)), "Solve.cg: x0 has shape (2,), b has (3,)");
        assertMessage(() -> Solve.cg(v -> v.slice(0, 0, 2), b, 1e-6, 10),
                "Solve.cg: the operator maps (3,) to (2,); it must keep the shape of b");
    }

    /**
     * With no iteration allowed every example keeps r = b, so each relative residual is exactly 1: the report names
     * that value and the first of the tied examples.
     */
    @Test
    void notConvergedReportsTheWorstExampleAndItsRelativeResidual() {
        Tensor b = Tensor.of(Shape.of(2, 3), 1, 2, 2, 2, 4, 4); // ‖b_0‖ = 3, ‖b_1‖ = 6
        Solve.NotConverged e = assertThrows(Solve.NotConverged.class, () -> Solve.cg(TWICE, b, 1e-8, 0));
        assertEquals(0, e.iterations());
        assertEquals(1.0, e.relativeResidual(), 0.0);
        assertTrue(e.getMessage().contains("not converged after 0 iterations: relative residual ‖r‖/‖b‖ = 1.000e+00"
                + " in example 0 of 2, tolerance 1.0e-08"), e.getMessage());
    }

    /**
     * The operator may compute in another type; its result is cast to b's, so every iterate, and the solution, stay
     * in b's type (three distinct eigenvalues: three iterations, each building on the last).
     */
    @Test
    void theSolutionHasBsTypeWhateverTheOperatorReturns() {
        Tensor b = Tensor.of(DType.FLOAT32, Shape.of(3), 1, 4, 9);
        Tensor x = Solve.cg(v -> v.to(DType.FLOAT64).mul(Tensor.vector(1, 2, 3)), b, 1e-6, 10);
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new double[] {1, 2, 3}, x.toDoubleArray(), 1e-5);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
