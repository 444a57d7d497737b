package io.sipflow.autodiff.backend;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Vector API batch-norm loops equal {@link ScalarBatchNormLoops} BIT FOR BIT through {@link BatchNormKernels}:
 * y, the statistics, gx, gγ and gβ, with and without the fused ReLU (forward clamp, backward mask). Shapes make
 * blocks of any length and offset (hw not a multiple of any vector length); values include negatives, ±0, tiny
 * and large magnitudes, and the ReLU outputs NaN, ±∞, −0 and subnormals.
 */
class BatchNormLoopsEquivalenceProperties {
    private static final float[] ODD_RELU = {-0f, 0f, Float.NaN, Float.intBitsToFloat(0xFFC00001),
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -1f};

    @Property(tries = 150)
    void forwardIsBitIdentical(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 5) int c,
                               @ForAll @IntRange(min = 1, max = 150) int hw, @ForAll boolean relu,
                               @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = values(rng, n * c * hw);
        double[] gamma = params(rng, c, true);
        double[] beta = params(rng, c, false);
        BatchNormLoops vector = vectorLoops();
        BatchNormKernels.Forward got = BatchNormKernels.forward(vector, x, n, c, hw, gamma, beta, 1e-5, relu);
        BatchNormKernels.Forward want = BatchNormKernels.forward(ScalarBatchNormLoops.INSTANCE, x, n, c, hw, gamma,
                beta, 1e-5, relu);
        same("y", got.y(), want.y(), seed);
        same("mean", got.mean(), want.mean(), seed);
        same("variance", got.variance(), want.variance(), seed);
        same("invStd", got.invStd(), want.invStd(), seed);
        if (relu) {
            BatchNormKernels.Forward plain = BatchNormKernels.forward(ScalarBatchNormLoops.INSTANCE, x, n, c, hw,
                    gamma, beta, 1e-5, false);
            float[] clamped = plain.y().clone();
            for (int i = 0; i < clamped.length; i++) {
                clamped[i] = clamped[i] > 0f ? clamped[i] : 0f; // the separate ReLU pass the fused one replaces
            }
            same("y with ReLU fused vs clamped after", got.y(), clamped, seed);
        }
    }

    @Property(tries = 150)
    void backwardIsBitIdentical(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 5) int c,
                                @ForAll @IntRange(min = 1, max = 150) int hw, @ForAll boolean withMask,
                                @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = values(rng, n * c * hw);
        float[] g = values(rng, x.length);
        double[] gamma = params(rng, c, true);
        double[] beta = params(rng, c, false);
        BatchNormKernels.Forward f = BatchNormKernels.forward(ScalarBatchNormLoops.INSTANCE, x, n, c, hw, gamma, beta,
                1e-5, withMask);
        float[] relu = null;
        if (withMask) {
            relu = f.y().clone();
            for (int i = 0; i < relu.length; i++) {
                if (rng.nextInt(6) == 0) {
                    relu[i] = ODD_RELU[rng.nextInt(ODD_RELU.length)];
                }
            }
        }
        BatchNormKernels.Backward got = BatchNormKernels.backward(vectorLoops(), g, relu, x, n, c, hw, f.mean(),
                f.invStd(), gamma);
        BatchNormKernels.Backward want = BatchNormKernels.backward(ScalarBatchNormLoops.INSTANCE, g, relu, x, n, c, hw,
                f.mean(), f.invStd(), gamma);
        same("gx", got.gx(), want.gx(), seed);
        same("gGamma", got.gGamma(), want.gGamma(), seed);
        same("gBeta", got.gBeta(), want.gBeta(), seed);
    }

    /**
     * The properties above run small arrays, mostly before C2 compiles the loops; this repeats a larger case until
     * the compiled (intrinsified) vector loops run, and checks every repetition bit for bit.
     */
    @Example
    void compiledLoopsStayBitIdentical() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 2;
        int c = 3;
        int hw = 64 * 64 + 5;
        float[] x = values(rng, n * c * hw);
        float[] g = values(rng, x.length);
        double[] gamma = params(rng, c, true);
        double[] beta = params(rng, c, false);
        BatchNormKernels.Forward want = BatchNormKernels.forward(ScalarBatchNormLoops.INSTANCE, x, n, c, hw, gamma,
                beta, 1e-5, true);
        BatchNormKernels.Backward wantB = BatchNormKernels.backward(ScalarBatchNormLoops.INSTANCE, g, want.y(), x, n, c,
                hw, want.mean(), want.invStd(), gamma);
        for (int rep = 0; rep < 150; rep++) {
            BatchNormKernels.Forward got = BatchNormKernels.forward(vectorLoops(), x, n, c, hw, gamma, beta, 1e-5,
                    true);
            BatchNormKernels.Backward gotB = BatchNormKernels.backward(vectorLoops(), g, want.y(), x, n, c, hw,
                    want.mean(), want.invStd(), gamma);
            same("y (repetition " + rep + ")", got.y(), want.y(), 11);
            same("variance (repetition " + rep + ")", got.variance(), want.variance(), 11);
            same("gx (repetition " + rep + ")", gotB.gx(), wantB.gx(), 11);
            same("gGamma (repetition " + rep + ")", gotB.gGamma(), wantB.gGamma(), 11);
        }
    }

    /** The Vector API loops; the test is only meaningful if they are not the scalar ones. */
    private static BatchNormLoops vectorLoops() {
        assertNotNull(FastPath.kernels(), "tests run with the Vector API kernels");
        BatchNormLoops loops = FastPath.kernels().vectorBatchNormLoops();
        assertNotSame(ScalarBatchNormLoops.INSTANCE, loops, "tests run with the Vector API batch-norm loops");
        return loops;
    }

    /** Mostly N(0.3, 2²), with ±0, small integers, tiny and large magnitudes mixed in. */
    private static float[] values(SplittableRandom rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            switch (rng.nextInt(10)) {
                case 0 -> v[i] = -0f;
                case 1 -> v[i] = 0f;
                case 2 -> v[i] = rng.nextInt(-3, 4);
                case 3 -> v[i] = (float) (rng.nextGaussian() * 1e-6);
                case 4 -> v[i] = (float) (rng.nextGaussian() * 1e4);
                default -> v[i] = (float) (rng.nextGaussian() * 2 + 0.3);
            }
        }
        return v;
    }

    private static double[] params(SplittableRandom rng, int c, boolean scale) {
        double[] p = new double[c];
        for (int i = 0; i < c; i++) {
            // gamma may be negative or zero too; stored as float values as the nn op stores them
            p[i] = (float) (scale ? (rng.nextInt(8) == 0 ? 0 : rng.nextGaussian() + 0.5) : rng.nextGaussian());
        }
        return p;
    }

    private static void same(String what, float[] got, float[] want, long seed) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                fail("batch norm " + what + "[" + i + "]: vector " + got[i] + " vs scalar " + want[i] + " (seed " + seed
                        + ")");
            }
        }
    }

    private static void same(String what, double[] got, double[] want, long seed) {
        for (int i = 0; i < want.length; i++) {
            if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(want[i])) {
                fail("batch norm " + what + "[" + i + "]: vector " + got[i] + " vs scalar " + want[i] + " (seed " + seed
                        + ")");
            }
        }
    }
}
