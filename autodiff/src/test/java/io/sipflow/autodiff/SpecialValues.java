package io.sipflow.autodiff;

import java.util.SplittableRandom;

/** Tests' inputs with IEEE special values sprinkled in, for properties that must hold for NaN, ±∞ and ±0 too. */
public final class SpecialValues {
    private SpecialValues() {
    }

    /**
     * t with about one value in eight replaced by +∞, −∞, NaN, −0 or +0 when {@code specials} (t's values unchanged
     * otherwise); draws from {@code rng} only when {@code specials}.
     *
     * @param t the values
     * @param specials whether to replace any
     * @param rng the draws: which values, and which special each gets
     * @return a new tensor of t's shape
     */
    public static Tensor sprinkled(Tensor t, boolean specials, SplittableRandom rng) {
        double[] v = t.toDoubleArray();
        double[] special = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -0.0, 0.0};
        for (int i = 0; specials && i < v.length; i++) {
            if (rng.nextInt(8) == 0) {
                v[i] = special[rng.nextInt(special.length)];
            }
        }
        return Tensor.of(t.shape(), v);
    }
}
