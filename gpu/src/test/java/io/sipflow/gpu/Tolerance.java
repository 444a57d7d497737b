package io.sipflow.gpu;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Tensor;

/**
 * Comparison of a kernel's result with the CPU backend's. Both receive the same inputs, so they differ only by
 * rounding in the sums: a sum of K terms carries at most γ_K ≈ K·u·Σ|terms| of rounding error (Higham, Accuracy
 * and Stability, §3.1), u = 2^−24 for FLOAT32, 2^−53 for FLOAT64. Element i passes if
 * <pre>  |actual_i − expected_i| ≤ (K + 2) · u · Σ|terms|_i  </pre>
 * (the +2 covers the CPU's final rounding to float and an FMA contraction). A wrong index or a missing term
 * misses by the size of a term, orders of magnitude above this bound.
 */
final class Tolerance {
    private Tolerance() {
    }

    static double unitRoundoff(DType dtype) {
        return dtype == DType.FLOAT32 ? Math.ulp(1.0f) / 2 : Math.ulp(1.0) / 2;
    }

    /**
     * Throws naming the op, the worst element, both values and the bound, unless every element is within it.
     *
     * @param sumAbs Σ|terms| per element (the same op on |inputs|, in FLOAT64)
     * @param terms  K, the number of terms in each sum
     */
    static void assertClose(String op, Tensor actual, Tensor expected, Tensor sumAbs, int terms) {
        if (!actual.shape().equals(expected.shape()) || actual.dtype() != expected.dtype()) {
            throw new AssertionError(op + ": OpenCL gave " + actual.shape() + " " + actual.dtype() + ", CPU "
                    + expected.shape() + " " + expected.dtype());
        }
        double u = unitRoundoff(actual.dtype());
        for (int i = 0; i < actual.size(); i++) {
            double bound = (terms + 2) * u * sumAbs.getFlat(i);
            double err = Math.abs(actual.getFlat(i) - expected.getFlat(i));
            if (!(err <= bound)) {
                throw new AssertionError(op + " " + actual.dtype() + " " + actual.shape() + ": element " + i
                        + " OpenCL " + actual.getFlat(i) + " vs CPU " + expected.getFlat(i) + ", |diff| " + err
                        + " > bound " + bound + " = (" + terms + " + 2)·" + u + "·Σ|terms| " + sumAbs.getFlat(i));
            }
        }
    }
}
