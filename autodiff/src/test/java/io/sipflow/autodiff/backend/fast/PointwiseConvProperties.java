package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 1×1 kernels ({@link PointwiseConv}) give the general kernel's bits (the implicit GEMM, on the adjoint weights
 * for the data gradient, that they replace for k = 1) and the plain-Java twin's, bits compared with every NaN counted as one (Java does not fix which NaN an operation on two NaNs returns), ±0
 * told apart, with NaN, ±∞, ±0 and values whose products underflow
 * among the inputs, on odd sizes that leave a scalar tail.
 */
class PointwiseConvProperties {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, Float.MAX_VALUE};

    @Property(tries = 80)
    void equalsTheGeneralKernelBitForBit(@ForAll @IntRange(min = 1, max = 5) int n,
                                         @ForAll @IntRange(min = 1, max = 19) int c,
                                         @ForAll @IntRange(min = 1, max = 4) int o,
                                         @ForAll @IntRange(min = 1, max = 21) int h,
                                         @ForAll @IntRange(min = 1, max = 21) int w,
                                         @ForAll boolean circular, @ForAll boolean specials,
                                         @ForAll @LongRange long seed) {
        assertTrue(PointwiseConv.handles(1, o));
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] gy = values(rng, n * o * h * w, specials);
        float[] wt = values(rng, o * c, specials);
        float[] want = VectorConv.forward(gy, AdjointWeights.of(wt, o, c, 1), null, n, o, h, w, c, 1, pad);
        float[] got = PointwiseConv.backwardData(gy, wt, n, c, h * w, o);
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " seed=" + seed;
        for (int i = 0; i < n * c * h * w; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    "gx" + shape + " at " + i + ": general " + want[i] + ", 1x1 " + got[i]);
        }
    }

    /**
     * Forward and forward-accumulate: the same bits as {@link ScalarConv} (which pads and runs every tap of the
     * general kernel, here the c channels in order from the bias or the accumulated value), through the backend's
     * entry point, so the test also fails if the dispatch sends k = 1 elsewhere with other bits.
     */
    @Property(tries = 80)
    void forwardEqualsThePlainJavaKernelBitForBit(@ForAll @IntRange(min = 1, max = 5) int n,
                                                  @ForAll @IntRange(min = 1, max = 19) int c,
                                                  @ForAll @IntRange(min = 1, max = 4) int o,
                                                  @ForAll @IntRange(min = 1, max = 21) int h,
                                                  @ForAll @IntRange(min = 1, max = 21) int w,
                                                  @ForAll boolean circular, @ForAll boolean specials,
                                                  @ForAll @LongRange long seed) {
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = values(rng, n * c * h * w, specials);
        float[] wt = values(rng, o * c, specials);
        float[] b = values(rng, o, specials);
        float[] into = values(rng, n * o * h * w, specials);
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " seed=" + seed;
        assertSameBits("y" + shape, ScalarConv.forward(x, wt, b, null, n, c, h, w, o, 1, pad),
                new VectorKernels().convForward(x, wt, b, n, c, h, w, o, 1, pad));
        assertSameBits("y accumulated" + shape, ScalarConv.forward(x, wt, null, into.clone(), n, c, h, w, o, 1, pad),
                new VectorKernels().convForwardAccumulate(into.clone(), x, wt, n, c, h, w, o, 1, pad));
        float[] gy = values(rng, n * o * h * w, specials);
        assertSameBits("gx" + shape, ScalarConv.backwardData(gy, wt, n, c, h, w, o, 1, pad),
                new VectorKernels().convBackwardData(gy, wt, n, c, h, w, o, 1, pad));
    }

    private static void assertSameBits(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    what + " at " + i + ": plain " + want[i] + ", vector " + got[i]);
        }
    }

    @Property(tries = 20)
    void theBackendTakesItOnlyForKernelSizeOneAndFewOutputs(@ForAll @IntRange(min = 1, max = 12) int o,
                                                             @ForAll @IntRange(min = 0, max = 2) int halfK) {
        int k = 2 * halfK + 1;
        assertEquals(k == 1 && o <= PointwiseConv.MAX_OUTPUTS, PointwiseConv.handles(k, o));
    }

    private static float[] values(SplittableRandom rng, int size, boolean specials) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = specials && rng.nextInt(6) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)]
                    : rng.nextInt(8) == 0 ? 0f : (float) ((rng.nextDouble() - 0.5) * Math.pow(2, rng.nextInt(-3, 4)));
        }
        return v;
    }
}
