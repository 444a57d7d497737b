package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.List;

/**
 * {@link Backend#nonFiniteProbe} on the host without a new array: a value is NaN or infinite exactly when all its
 * exponent bits are set, so the largest exponent field over an array says whether any value is (an integer
 * max-reduction, which the JIT vectorises). The probe's answer is the same as Σ_t Σ(0·t)'s: 0 when every value of
 * every tensor is finite, otherwise NaN. The default computed 0·t for each tensor, one new array per parameter and
 * per gradient on every training step.
 */
final class NonFiniteScan {
    private static final int FLOAT_EXPONENT = 0x7f80_0000;
    private static final long DOUBLE_EXPONENT = 0x7ff0_0000_0000_0000L;

    private NonFiniteScan() {
    }

    /** {@return a FLOAT64 scalar: 0 when every value of every tensor is finite, otherwise NaN} */
    static Tensor probe(List<Tensor> tensors) {
        for (Tensor t : tensors) {
            if (!allFinite(t)) {
                return Tensor.full(DType.FLOAT64, Shape.scalar(), Double.NaN);
            }
        }
        return Tensor.full(DType.FLOAT64, Shape.scalar(), 0.0);
    }

    /** True when no value of {@code t} is NaN or infinite. */
    static boolean allFinite(Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            int largest = 0;
            for (float x : t.floatData()) {
                largest = Math.max(largest, Float.floatToRawIntBits(x) & FLOAT_EXPONENT);
            }
            return largest != FLOAT_EXPONENT;
        }
        long largest = 0;
        for (double x : t.doubleData()) {
            largest = Math.max(largest, Double.doubleToRawLongBits(x) & DOUBLE_EXPONENT);
        }
        return largest != DOUBLE_EXPONENT;
    }
}
