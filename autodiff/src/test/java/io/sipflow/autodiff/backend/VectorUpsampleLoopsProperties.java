package io.sipflow.autodiff.backend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vector API upsampling row loops ({@link UpsampleLoops#vector()}, whether or not this JDK uses them) give the
 * plain loops' results bit for bit, at any offset and length (vector body and scalar tail), including NaN, ±∞ and −0
 * in the inputs (a NaN is any NaN: its sign and payload are the hardware's).
 */
class VectorUpsampleLoopsProperties {
    @Property(tries = 300)
    void vectorLoopsAreThePlainLoopsBitForBit(@ForAll @IntRange(min = 0, max = 40) int w,
                                              @ForAll @IntRange(min = 0, max = 9) int at,
                                              @ForAll boolean specials, @ForAll @LongRange long seed) {
        UpsampleRowLoops v = UpsampleLoops.vector();
        assertTrue(v != null || !FastPath.vectorModulePresent());
        if (v == null) {
            return;
        }
        UpsampleRowLoops s = UpsampleLoops.SCALAR;
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 2 * w;
        double[] r = doubles(rng, at + 2 * n, specials);
        double a0 = rng.nextDouble();
        double a1 = rng.nextDouble();
        float[] yWant = new float[at + n];
        float[] yGot = new float[at + n];
        s.blendRows(r, at, at + n, a0, a1, yWant, at, n);
        v.blendRows(r, at, at + n, a0, a1, yGot, at, n);
        for (int j = 0; j < yWant.length; j++) {
            assertEquals(bits(yWant[j]), bits(yGot[j]), "blendRows y[" + j + "] (seed " + seed + ")");
        }
        float[] gy = floats(rng, at + n, specials);
        double[] evenWant = new double[w];
        double[] oddWant = new double[w];
        double[] evenGot = new double[w];
        double[] oddGot = new double[w];
        s.splitColumns(gy, at, evenWant, oddWant, w);
        v.splitColumns(gy, at, evenGot, oddGot, w);
        sameDoubles(evenWant, evenGot, "splitColumns even", seed);
        sameDoubles(oddWant, oddGot, "splitColumns odd", seed);
        double[] accWant = doubles(rng, at + w, specials);
        double[] accGot = accWant.clone();
        double a = rng.nextDouble();
        s.gatherInterior(evenWant, oddWant, accWant, at, a * 0.25, a * 0.75, w);
        v.gatherInterior(evenWant, oddWant, accGot, at, a * 0.25, a * 0.75, w);
        sameDoubles(accWant, accGot, "gatherInterior", seed);
    }

    private static float[] floats(SplittableRandom rng, int size, boolean specials) {
        float[] f = new float[size];
        double[] d = doubles(rng, size, specials);
        for (int i = 0; i < size; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] doubles(SplittableRandom rng, int size, boolean specials) {
        double[] a = new double[size];
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0};
        for (int i = 0; i < size; i++) {
            a[i] = specials && rng.nextInt(8) == 0 ? special[rng.nextInt(special.length)]
                    : rng.nextGaussian() * Math.exp(rng.nextDouble() * 6 - 3);
        }
        return a;
    }

    /** Bits, with every NaN the same NaN. */
    private static int bits(float f) {
        return Float.floatToIntBits(f);
    }

    private static void sameDoubles(double[] want, double[] got, String what, long seed) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]),
                    what + " [" + i + "]: plain " + want[i] + ", vector " + got[i] + " (seed " + seed + ")");
        }
    }
}
