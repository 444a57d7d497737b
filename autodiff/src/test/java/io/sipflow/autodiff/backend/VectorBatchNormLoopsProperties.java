package io.sipflow.autodiff.backend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vector API batch-norm block loops ({@link BatchNormLoops#vector()}, whether or not this JDK uses them) give the
 * scalar loops' results bit for bit, at any offset and length (vector body and scalar tail),
 * with and without the fused ReLU mask, including NaN, ±∞ and −0 in the inputs and in the mask (a NaN is any NaN:
 * its sign and payload are the hardware's, which differ between the scalar and vector instructions).
 */
class VectorBatchNormLoopsProperties {
    @Property(tries = 300)
    void vectorLoopsAreTheScalarLoopsBitForBit(@ForAll @IntRange(min = 0, max = 70) int len,
                                               @ForAll @IntRange(min = 0, max = 9) int lo,
                                               @ForAll @IntRange(min = 0, max = 40) int other,
                                               @ForAll boolean specials, @ForAll @LongRange long seed) {
        BatchNormBlockLoops v = BatchNormLoops.vector();
        assertTrue(v != null || !FastPath.vectorModulePresent());
        if (v == null) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int size = lo + len + other + 1;
        float[] x = values(rng, size, specials);
        float[] g = values(rng, size, specials);
        float[] relu = values(rng, size, true);
        double mu = rng.nextDouble() * 2 - 1;
        double scale = rng.nextDouble() * 3 - 1;
        double shift = rng.nextDouble() - 0.5;
        int hi = lo + len;
        BatchNormBlockLoops s = BatchNormLoops.SCALAR;
        same(s.sum(x, lo, hi), v.sum(x, lo, hi), "sum");
        same(s.squaredDeviations(x, lo, hi, mu), v.squaredDeviations(x, lo, hi, mu), "squaredDeviations");
        double[] want = new double[2];
        double[] got = new double[2];
        for (float[] mask : new float[][] {null, relu}) {
            s.gradientSums(g, mask, x, lo, hi, mu, want);
            v.gradientSums(g, mask, x, lo, hi, mu, got);
            same(want[0], got[0], "gradientSums[0]");
            same(want[1], got[1], "gradientSums[1]");
            float[] gxWant = new float[size];
            float[] gxGot = new float[size];
            s.inputGradient(g, mask, x, gxWant, lo, hi, mu, scale, shift, mu * 0.3);
            v.inputGradient(g, mask, x, gxGot, lo, hi, mu, scale, shift, mu * 0.3);
            sameFloats(gxWant, gxGot, "inputGradient");
        }
        for (boolean r : new boolean[] {false, true}) {
            float[] yWant = new float[size];
            float[] yGot = new float[size];
            s.normalise(x, yWant, lo, hi, mu, scale, shift, r);
            v.normalise(x, yGot, lo, hi, mu, scale, shift, r);
            sameFloats(yWant, yGot, "normalise relu=" + r);
        }
    }

    private static float[] values(SplittableRandom rng, int size, boolean specials) {
        float[] a = new float[size];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f};
        for (int i = 0; i < size; i++) {
            a[i] = specials && rng.nextInt(8) == 0 ? special[rng.nextInt(special.length)]
                    : (float) (rng.nextGaussian() * Math.exp(rng.nextDouble() * 6 - 3));
        }
        return a;
    }

    private static void same(double want, double got, String what) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
                what + ": scalar " + want + ", vector " + got);
    }

    private static void sameFloats(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    what + " at " + i + ": scalar " + want[i] + ", vector " + got[i]);
        }
    }
}
