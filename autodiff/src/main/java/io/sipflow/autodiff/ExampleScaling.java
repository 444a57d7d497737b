package io.sipflow.autodiff;

/**
 * Powers of two that bring each example of a right-hand side b near magnitude 1, for {@link Solve#cg}.
 *
 * <p>CG tests ‖r‖ ≤ tolerance·‖b‖ with squared norms. For b ~ 1e160, ‖b‖² overflows to ∞ and every residual
 * passes; for b ~ 1e-200 it underflows to 0 and x = 0 passes: either way the answer would be silent zeros. A
 * linear system scales, A(x·2ᵉ) = b·2ᵉ, and multiplying by a power of two is exact in binary floating point, so
 * CG on b·2⁻ᵉ followed by x·2ᵉ gives the solution of the original system, with every iterate exactly 2⁻ᵉ times
 * what unlimited range would give.
 * <pre>
 *   m_i = max |b_i|                       per example (axis 0 for rank ≥ 2, the whole tensor for rank 1)
 *   e_i = exponent(m_i)  if |exponent(m_i)| &gt; L,  else 0          (0 also for m_i = 0 or a non-finite m_i)
 *   L   = a quarter of the type's largest exponent: 255 for FLOAT64, 31 for FLOAT32
 * </pre>
 * Inside the band [2⁻ᴸ, 2ᴸ] nothing is scaled, so ordinary inputs are solved exactly as before, bit for bit; the
 * band leaves room of 2^(3L) or more for ‖b‖² (summed in double) and for iterates that grow with the condition
 * number.
 */
final class ExampleScaling {
    private final int[] exponents;

    private ExampleScaling(int[] exponents) {
        this.exponents = exponents;
    }

    /** The scaling b needs, or null when every example lies inside the band (the common case). */
    static ExampleScaling of(Tensor b) {
        double[] v = b.toDoubleArray();
        int examples = b.rank() >= 2 ? b.dim(0) : 1;
        int n = v.length / Math.max(examples, 1);
        int limit = Math.getExponent(b.dtype() == DType.FLOAT64 ? Double.MAX_VALUE : (double) Float.MAX_VALUE) / 4;
        int[] exponents = new int[examples];
        boolean any = false;
        for (int i = 0; i < examples; i++) {
            double max = 0;
            for (int k = i * n; k < (i + 1) * n; k++) {
                max = Math.max(max, Math.abs(v[k]));
            }
            int e = max > 0 && Double.isFinite(max) ? exponent(max) : 0;
            exponents[i] = Math.abs(e) > limit ? e : 0;
            any |= exponents[i] != 0;
        }
        return any ? new ExampleScaling(exponents) : null;
    }

    /** t with example i multiplied by 2^(−e_i): into the band. */
    Tensor shrink(Tensor t) {
        return scaled(t, -1);
    }

    /** t with example i multiplied by 2^(e_i): back to the caller's scale. */
    Tensor restore(Tensor t) {
        return scaled(t, 1);
    }

    private Tensor scaled(Tensor t, int sign) {
        double[] v = t.toDoubleArray();
        int n = v.length / exponents.length;
        for (int i = 0; i < exponents.length; i++) {
            for (int k = i * n; k < (i + 1) * n; k++) {
                v[k] = Math.scalb(v[k], sign * exponents[i]);
            }
        }
        return Tensor.of(t.dtype(), t.shape(), v);
    }

    /** The unbiased binary exponent of a positive finite value, subnormals included (Math.getExponent gives −1023). */
    private static int exponent(double v) {
        return v >= Double.MIN_NORMAL ? Math.getExponent(v) : Math.getExponent(v * 0x1p64) - 64;
    }
}
