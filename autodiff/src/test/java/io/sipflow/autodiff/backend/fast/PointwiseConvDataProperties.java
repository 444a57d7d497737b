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
 * The 1×1 data gradient ({@link PointwiseConvData}) gives the general kernel's bits (the implicit GEMM on the
 * adjoint weights it replaces for k = 1), bits compared with every NaN counted as one (Java does not fix which NaN an operation on two NaNs returns), ±0
 * told apart, with NaN, ±∞, ±0 and values whose products underflow
 * among the inputs, on odd sizes that leave a scalar tail.
 */
class PointwiseConvDataProperties {
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
        assertTrue(PointwiseConvData.handles(1, o));
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] gy = values(rng, n * o * h * w, specials);
        float[] wt = values(rng, o * c, specials);
        float[] want = VectorConv.forward(gy, AdjointWeights.of(wt, o, c, 1), null, n, o, h, w, c, 1, pad);
        float[] got = PointwiseConvData.backwardData(gy, wt, n, c, h * w, o);
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " seed=" + seed;
        for (int i = 0; i < n * c * h * w; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    "gx" + shape + " at " + i + ": general " + want[i] + ", 1x1 " + got[i]);
        }
    }

    @Property(tries = 20)
    void theBackendTakesItOnlyForKernelSizeOneAndFewOutputs(@ForAll @IntRange(min = 1, max = 12) int o,
                                                             @ForAll @IntRange(min = 0, max = 2) int halfK) {
        int k = 2 * halfK + 1;
        assertEquals(k == 1 && o <= PointwiseConvData.MAX_OUTPUTS, PointwiseConvData.handles(k, o));
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
