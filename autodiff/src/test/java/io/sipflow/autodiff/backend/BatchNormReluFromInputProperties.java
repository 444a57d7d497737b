package io.sipflow.autodiff.backend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch norm's backward pass with the fused ReLU's mask recomputed from x and β (what the CPU backend does when the
 * op hands it β) gives the bits of the pass that reads the mask from the ReLU's output y: in the kernel, and in each
 * block loop (plain Java and Vector API), with NaN, ±∞, ±0 and subnormals among x and g, and normalised values right
 * at the float rounding boundary 2⁻¹⁵⁰ (below it y is +0, above it the least float). Bits compared with every NaN
 * counted as one (Java does not fix which NaN an operation on two NaNs returns).
 */
class BatchNormReluFromInputProperties {
    private static final float[] ODD = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-39f, -1e-39f, Float.MAX_VALUE};
    /** Shifts that put (x − μ)·1 + shift at x = μ on and around the boundary where the float rounds to +0. */
    private static final double[] BOUNDARY = {0x1p-150, Math.nextUp(0x1p-150), Math.nextDown(0x1p-150), 0x1p-149,
        0x1.8p-150, -0x1p-150, 0.0, -0.0, Double.MIN_VALUE, 0x1p-151};

    @Property(tries = 60)
    void kernelGivesTheBitsOfTheMaskReadFromY(@ForAll @IntRange(min = 1, max = 5) int n,
                                              @ForAll @IntRange(min = 1, max = 4) int c,
                                              @ForAll @IntRange(min = 1, max = 70) int hw,
                                              @ForAll boolean odd, @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * c * hw];
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = odd && rng.nextInt(9) == 0 ? ODD[rng.nextInt(ODD.length)] : (float) (rng.nextDouble() * 4 - 1);
            g[i] = odd && rng.nextInt(9) == 0 ? ODD[rng.nextInt(ODD.length)] : (float) (rng.nextDouble() * 2 - 1);
        }
        double[] gamma = new double[c];
        double[] beta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = (float) (rng.nextDouble() * 2 - 0.5);
            beta[ch] = (float) (rng.nextDouble() - 0.5);
        }
        BatchNormKernels.Forward f = BatchNormKernels.forward(x, n, c, hw, gamma, beta, 1e-5, true);
        BatchNormKernels.Backward want = BatchNormKernels.backward(g, f.y(), x, n, c, hw, f.mean(), f.variance(),
                1e-5, gamma);
        BatchNormKernels.Backward got = BatchNormKernels.backward(g, null, x, n, c, hw, f.mean(), f.variance(),
                1e-5, gamma, beta);
        String at = " (n=" + n + " c=" + c + " hw=" + hw + " seed=" + seed + ")";
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(want.gx()[i]), Float.floatToIntBits(got.gx()[i]),
                    "gx[" + i + "]: " + want.gx()[i] + " vs " + got.gx()[i] + at);
        }
        for (int ch = 0; ch < c; ch++) {
            assertEquals(Double.doubleToLongBits(want.gGamma()[ch]), Double.doubleToLongBits(got.gGamma()[ch]),
                    "gGamma[" + ch + "]" + at);
            assertEquals(Double.doubleToLongBits(want.gBeta()[ch]), Double.doubleToLongBits(got.gBeta()[ch]),
                    "gBeta[" + ch + "]" + at);
        }
    }

    @Property(tries = 80)
    void loopsGiveTheBitsOfTheMaskReadFromY(@ForAll @IntRange(min = 1, max = 61) int len,
                                            @ForAll @IntRange(min = 0, max = 9) int boundary,
                                            @ForAll boolean vector, @ForAll @LongRange long seed) {
        BatchNormBlockLoops loops = vector ? BatchNormLoops.vector() : BatchNormLoops.SCALAR;
        if (loops == null) {
            return; // no Vector API in this JVM: the plain loops are checked by the other tries
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double mu = (float) (rng.nextDouble() - 0.5);
        double shift = BOUNDARY[boundary];
        double scale = rng.nextBoolean() ? 1.0 : rng.nextDouble() * 3;
        float[] x = new float[len + 3];
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int kind = rng.nextInt(4);
            x[i] = kind == 0 ? (float) mu : kind == 1 ? ODD[rng.nextInt(ODD.length)] : (float) (rng.nextDouble() * 2 - 1);
            g[i] = rng.nextInt(7) == 0 ? ODD[rng.nextInt(ODD.length)] : (float) (rng.nextDouble() * 2 - 1);
        }
        float[] y = new float[x.length];
        BatchNormLoops.SCALAR.normalise(x, y, 0, x.length, mu, scale, shift, true);
        int lo = rng.nextInt(3);
        double[] want = new double[2];
        double[] got = new double[2];
        loops.gradientSums(g, y, x, lo, lo + len, mu, want);
        loops.gradientSumsRelu(g, x, lo, lo + len, mu, scale, shift, got);
        String at = " (" + loops + ", len=" + len + " shift=" + shift + " seed=" + seed + ")";
        assertEquals(Double.doubleToLongBits(want[0]), Double.doubleToLongBits(got[0]), "Σm" + at);
        assertEquals(Double.doubleToLongBits(want[1]), Double.doubleToLongBits(got[1]), "Σm(x−μ)" + at);
        float[] gxWant = new float[x.length];
        float[] gxGot = new float[x.length];
        loops.inputGradient(g, y, x, gxWant, lo, lo + len, mu, scale, 0.01, 0.02);
        loops.inputGradientRelu(g, x, gxGot, lo, lo + len, mu, scale, shift, 0.01, 0.02);
        for (int i = lo; i < lo + len; i++) {
            assertEquals(Float.floatToIntBits(gxWant[i]), Float.floatToIntBits(gxGot[i]),
                    "gx[" + i + "]: " + gxWant[i] + " vs " + gxGot[i] + at);
        }
    }
}
