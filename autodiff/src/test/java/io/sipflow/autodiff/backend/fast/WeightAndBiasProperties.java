package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.CpuBackend;
import io.sipflow.autodiff.backend.ReduceOp;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The weight gradient with the bias gradient summed on its way ({@link VectorKernels#convBackwardWeightAndBias}, and
 * the plain-Java default) gives the bits of the two separate calls: the weight gradient alone and the backend's sum
 * of gy over (0, 2, 3). Bits compared with every NaN counted as one (which NaN an operation on two NaNs returns is
 * not fixed by Java, and differs between compilations of the same code), ±0 told apart; with NaN, ±∞, ±0 and huge values among the inputs and magnitudes from 2⁻⁴⁰ to 2⁴⁰ (so that
 * the double sums round, and a changed order shows), on odd sizes (plane lengths
 * that leave a tail after the four-value steps, channel counts that leave planes after the groups of four) and
 * batches of several chunks.
 */
class WeightAndBiasProperties {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE};
    private final VectorKernels vector = new VectorKernels();
    private final ScalarKernels plain = new ScalarKernels();

    @Property(tries = 80)
    void fusedEqualsSeparateBitForBit(@ForAll @IntRange(min = 1, max = 13) int n,
                                      @ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 11) int o,
                                      @ForAll @IntRange(min = 1, max = 21) int h, @ForAll @IntRange(min = 1, max = 21) int w,
                                      @ForAll @IntRange(min = 0, max = 1) int halfK, @ForAll boolean circular,
                                      @ForAll boolean specials, @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = values(rng, n * c * h * w, false);
        float[] gy = values(rng, n * o * h * w, specials);
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " k=" + k + " " + pad + " seed=" + seed;
        float[] gwWant = vector.convBackwardWeight(gy, x, n, c, h, w, o, k, pad);
        float[] gbWant = CpuBackend.instance().reduce(ReduceOp.SUM, Tensor.wrap(Shape.of(n, o, h, w), gy),
                new int[] {0, 2, 3}).floatData();
        float[] gb = new float[o];
        assertBits("vector gw" + shape, gwWant, vector.convBackwardWeightAndBias(gy, x, n, c, h, w, o, k, pad, gb));
        assertBits("vector gb" + shape, gbWant, gb);
        float[] gbPlain = new float[o];
        assertBits("plain gw" + shape, gwWant, plain.convBackwardWeightAndBias(gy, x, n, c, h, w, o, k, pad, gbPlain));
        assertBits("plain gb" + shape, gbWant, gbPlain);
        Tensor[] both = CpuBackend.instance().conv2dBackwardWeightAndBias(Tensor.wrap(Shape.of(n, o, h, w), gy),
                Tensor.wrap(Shape.of(n, c, h, w), x), pad, Shape.of(o, c, k, k));
        assertEquals(Shape.of(1, o, 1, 1), both[1].shape());
        assertBits("backend gb" + shape, gbWant, both[1].floatData());
    }

    private static void assertBits(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    what + " at " + i + ": separate " + want[i] + ", fused " + got[i]);
        }
    }

    private static float[] values(SplittableRandom rng, int size, boolean specials) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = specials && rng.nextInt(8) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)]
                    : rng.nextInt(8) == 0 ? 0f : (float) ((rng.nextDouble() - 0.5) * Math.pow(2, rng.nextInt(-40, 41)));
        }
        return v;
    }
}
