package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static io.sipflow.autodiff.KernelInputs.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plain-Java kernels ({@link ScalarKernels}, what a JVM without the Vector API runs) give the Vector API kernels'
 * results bit for bit, raw float bits compared, on random shapes: odd sizes, both paddings, k = 1, 3, 5, and
 * batches of several chunks in the weight gradient. The same check across vector widths (AVX2 against AVX-512)
 * runs whole training runs in other JVMs (the golden-digest tests of the command-line program).
 */
class PlainJavaTwinProperties {
    private final VectorKernels vector = new VectorKernels();
    private final ScalarKernels plain = new ScalarKernels();

    @Property(tries = 60)
    void convolutionsAreBitIdentical(@ForAll @IntRange(min = 1, max = 13) int n,
                                     @ForAll @IntRange(min = 1, max = 9) int c, @ForAll @IntRange(min = 1, max = 9) int o,
                                     @ForAll @IntRange(min = 1, max = 24) int h, @ForAll @IntRange(min = 1, max = 24) int w,
                                     @ForAll @IntRange(min = 0, max = 2) int halfK, @ForAll boolean circular,
                                     @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = randn(rng, n * c * h * w);
        float[] wt = randn(rng, o * c * k * k);
        float[] b = randn(rng, o);
        float[] gy = randn(rng, n * o * h * w);
        assertConvolutionTwins(x, wt, b, gy, n, c, h, w, o, k, pad, seed, false);
    }

    /**
     * The shapes where the forward and data-gradient tiles write into the output itself (w a multiple of the
     * vector length, outputs a sum of whole tiles, the image's last run of vectors partial), with NaN, ±∞ and −0
     * among the values: the same bits as plain Java's chains.
     */
    @Property(tries = 60)
    void outputTilesAreBitIdentical(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 20) int c,
                                    @ForAll @IntRange(min = 1, max = 8) int oQuarters,
                                    @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 4) int wVectors,
                                    @ForAll @IntRange(min = 0, max = 2) int halfK, @ForAll boolean circular,
                                    @ForAll boolean specials, @ForAll @LongRange long seed) {
        assertTilePassesBitIdentical(n, c, 4 * oQuarters, h, wVectors * VectorConv.VL, 2 * halfK + 1,
                circular ? Padding.CIRCULAR : Padding.ZERO, specials, seed, true);
    }

    /**
     * Images larger than L1 once padded (12–16 channels of 40–52 rows, as the U-Net's 16 channels at 64×64), up to
     * 16 outputs, with NaN, ±∞ and −0 among the values: the same bits as plain Java's chains.
     */
    @Property(tries = 10)
    void largeImagesAreBitIdentical(@ForAll @IntRange(min = 1, max = 2) int n,
                                    @ForAll @IntRange(min = 12, max = 16) int c,
                                    @ForAll @IntRange(min = 1, max = 4) int oQuarters,
                                    @ForAll @IntRange(min = 40, max = 52) int h,
                                    @ForAll @IntRange(min = 1, max = 2) int halfK, @ForAll boolean circular,
                                    @ForAll boolean specials, @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        int w = Math.max(64, VectorConv.VL);
        assertTrue((long) c * (h + k - 1) * (w + k - 1) * Float.BYTES > 48 * 1024, "larger than L1 once padded");
        assertTilePassesBitIdentical(n, c, 4 * oQuarters, h, w, k, circular ? Padding.CIRCULAR : Padding.ZERO,
                specials, seed, false);
    }

    /**
     * Forward, forward-accumulate and data gradient (with c and o swapped; with {@code dataGradient} also as
     * drawn) of one shape on random values, NaN, ±∞ and −0 among them when {@code specials}: vector tiles and
     * plain Java give the same bits.
     */
    private void assertTilePassesBitIdentical(int n, int c, int o, int h, int w, int k, Padding pad, boolean specials,
                                              long seed, boolean dataGradient) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = withSpecials(rng, randn(rng, n * c * h * w), specials);
        float[] wt = withSpecials(rng, randn(rng, o * c * k * k), specials);
        float[] b = withSpecials(rng, randn(rng, o), specials);
        float[] gy = withSpecials(rng, randn(rng, n * o * h * w), specials);
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " k=" + k + " " + pad + " seed=" + seed;
        assertBits("forward" + shape, vector.convForward(x, wt, b, n, c, h, w, o, k, pad),
                plain.convForward(x, wt, b, n, c, h, w, o, k, pad));
        assertBits("forward accumulate" + shape,
                vector.convForwardAccumulate(gy.clone(), x, wt, n, c, h, w, o, k, pad),
                plain.convForwardAccumulate(gy.clone(), x, wt, n, c, h, w, o, k, pad));
        float[] gx = withSpecials(rng, randn(rng, n * c * h * w), specials);
        if (dataGradient) {
            assertBits("backward data" + shape, vector.convBackwardData(gy, wt, n, c, h, w, o, k, pad),
                    plain.convBackwardData(gy, wt, n, c, h, w, o, k, pad));
        }
        assertBits("backward data (o, c swapped)" + shape,
                vector.convBackwardData(gx, wt, n, o, h, w, c, k, pad),
                plain.convBackwardData(gx, wt, n, o, h, w, c, k, pad));
    }

    /**
     * Images of more than 2048 padded positions, whose weight gradient runs in blocks of q with 512-bit vectors too,
     * with NaN, ±∞ and −0 among the values: the same bits as plain Java's lane sums, NaNs aside (a NaN where the
     * other has one; see {@link #assertBitsOrBothNaN}).
     */
    @Property(tries = 12)
    void largeImageWeightGradientsAreBitIdentical(@ForAll @IntRange(min = 1, max = 2) int n,
                                                  @ForAll @IntRange(min = 1, max = 3) int c,
                                                  @ForAll @IntRange(min = 1, max = 6) int o,
                                                  @ForAll @IntRange(min = 44, max = 70) int h,
                                                  @ForAll @IntRange(min = 44, max = 70) int w,
                                                  @ForAll @IntRange(min = 0, max = 2) int halfK, @ForAll boolean circular,
                                                  @ForAll boolean specials, @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = withSpecials(rng, randn(rng, n * c * h * w), specials);
        float[] gy = withSpecials(rng, randn(rng, n * o * h * w), specials);
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " k=" + k + " " + pad + " seed=" + seed;
        assertBitsOrBothNaN("backward weight" + shape, vector.convBackwardWeight(gy, x, n, c, h, w, o, k, pad),
                plain.convBackwardWeight(gy, x, n, c, h, w, o, k, pad));
    }

    /**
     * The weight gradient of 3×3 kernels (the 4×6 tiles on 512-bit vectors, with the padding taps of an odd channel
     * count), batches of one to many chunks (each chunk's lanes
     * added right after its last pass, the chunks' sums added in chunk order) on terms of 2⁶⁰ that cancel next to
     * terms of 1, so a changed lane, chunk or term order changes the bits; optionally with NaN, ±∞ and −0 mixed in.
     */
    @Property(tries = 30)
    void weightGradientLanesAndChunksAreBitIdentical(@ForAll @IntRange(min = 1, max = 60) int n,
                                                     @ForAll @IntRange(min = 1, max = 5) int c,
                                                     @ForAll @IntRange(min = 1, max = 9) int o,
                                                     @ForAll @IntRange(min = 3, max = 20) int h,
                                                     @ForAll boolean circular, @ForAll boolean specials,
                                                     @ForAll @LongRange long seed) {
        int w = h + (int) Math.floorMod(seed, 3L);
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = withSpecials(rng, powersOfTwo(rng, n * c * h * w), specials);
        float[] gy = withSpecials(rng, cancelling(rng, n * o * h * w), specials);
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " k=3 " + pad + " seed=" + seed;
        float[] vectorWeight = vector.convBackwardWeight(gy, x, n, c, h, w, o, 3, pad);
        float[] plainWeight = plain.convBackwardWeight(gy, x, n, c, h, w, o, 3, pad);
        if (specials) {
            assertBitsOrBothNaN("backward weight" + shape, vectorWeight, plainWeight);
        } else {
            assertBits("backward weight" + shape, vectorWeight, plainWeight);
        }
    }

    /**
     * The same twins on values that tell summation orders and starting values apart: NaN, ±∞, −0 and +0, subnormals
     * and large magnitudes in the input, the weights and the bias (a bias of −0 stays −0 only where the chain starts
     * from it and adds −0 products), at the seed network's channel counts and sizes whose tiles are full and partial.
     */
    @Property(tries = 40)
    void convolutionsWithSpecialValuesAreBitIdentical(@ForAll @IntRange(min = 1, max = 3) int n,
                                                      @ForAll @IntRange(min = 1, max = 17) int c,
                                                      @ForAll @IntRange(min = 1, max = 17) int o,
                                                      @ForAll @IntRange(min = 1, max = 20) int h,
                                                      @ForAll @IntRange(min = 0, max = 1) int halfK,
                                                      @ForAll boolean circular, @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        int w = h + (int) Math.floorMod(seed, 3L);
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = special(rng, n * c * h * w);
        float[] wt = special(rng, o * c * k * k);
        float[] b = special(rng, o);
        float[] gy = special(rng, n * o * h * w);
        assertConvolutionTwins(x, wt, b, gy, n, c, h, w, o, k, pad, seed, true);
    }

    /**
     * Forward, forward accumulate, data and weight gradient of the vector kernels against plain Java, bit for bit.
     * With {@code anyWeightNaN} the weight gradient's NaNs may differ in sign and payload (which NaN operand an x86
     * FMA passes on depends on the operand order, not fixed between the vector and plain-Java weight kernels): every
     * other value bit for bit, a NaN where the other has a NaN.
     */
    private void assertConvolutionTwins(float[] x, float[] wt, float[] b, float[] gy, int n, int c, int h, int w,
                                        int o, int k, Padding pad, long seed, boolean anyWeightNaN) {
        String shape = " n=" + n + " c=" + c + " o=" + o + " h=" + h + " w=" + w + " k=" + k + " " + pad + " seed=" + seed;
        assertBits("forward" + shape, vector.convForward(x, wt, b, n, c, h, w, o, k, pad),
                plain.convForward(x, wt, b, n, c, h, w, o, k, pad));
        assertBits("forward accumulate" + shape,
                vector.convForwardAccumulate(gy.clone(), x, wt, n, c, h, w, o, k, pad),
                plain.convForwardAccumulate(gy.clone(), x, wt, n, c, h, w, o, k, pad));
        assertBits("backward data" + shape, vector.convBackwardData(gy, wt, n, c, h, w, o, k, pad),
                plain.convBackwardData(gy, wt, n, c, h, w, o, k, pad));
        float[] vectorWeight = vector.convBackwardWeight(gy, x, n, c, h, w, o, k, pad);
        float[] plainWeight = plain.convBackwardWeight(gy, x, n, c, h, w, o, k, pad);
        if (anyWeightNaN) {
            assertBitsOrBothNaN("backward weight" + shape, vectorWeight, plainWeight);
        } else {
            assertBits("backward weight" + shape, vectorWeight, plainWeight);
        }
    }

    private static void assertBitsOrBothNaN(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            boolean same = Float.isNaN(want[i]) ? Float.isNaN(got[i])
                    : Float.floatToRawIntBits(want[i]) == Float.floatToRawIntBits(got[i]);
            if (!same) {
                throw new AssertionError(what + " at " + i + ": vector " + want[i] + ", plain Java " + got[i]);
            }
        }
    }

    @Property(tries = 60)
    void matrixProductsAreBitIdentical(@ForAll @IntRange(min = 1, max = 3) int batch,
                                       @ForAll @IntRange(min = 1, max = 37) int m, @ForAll @IntRange(min = 1, max = 37) int k,
                                       @ForAll @IntRange(min = 1, max = 70) int n, @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = randn(rng, batch * m * k);
        float[] b = randn(rng, batch * k * n);
        String shape = " batch=" + batch + " m=" + m + " k=" + k + " n=" + n + " seed=" + seed;
        assertBits("matmul float32" + shape, vector.matmul(a, b, batch, m, k, n), plain.matmul(a, b, batch, m, k, n));
        double[] ad = new double[a.length];
        double[] bd = new double[b.length];
        for (int i = 0; i < ad.length; i++) {
            ad[i] = a[i] * (1 + rng.nextDouble());
        }
        for (int i = 0; i < bd.length; i++) {
            bd[i] = b[i] * (1 + rng.nextDouble());
        }
        double[] want = vector.matmul(ad, bd, batch, m, k, n);
        double[] got = plain.matmul(ad, bd, batch, m, k, n);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]),
                    "matmul float64" + shape + " at " + i + ": " + want[i] + " vs " + got[i]);
        }
    }

    private static void assertBits(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                assertEquals(want[i], got[i], what + " at " + i + ": vector " + want[i] + ", plain Java " + got[i]);
                throw new AssertionError(what + " at " + i + ": vector " + want[i] + ", plain Java " + got[i]
                        + " (same value, different bits)");
            }
        }
    }

    /** With {@code on}, about one value in 16 replaced by NaN, +∞, −∞ or −0. */
    private static float[] withSpecials(SplittableRandom rng, float[] v, boolean on) {
        if (on) {
            float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
            for (int i = 0; i < v.length; i++) {
                if (rng.nextInt(16) == 0) {
                    v[i] = special[rng.nextInt(special.length)];
                }
            }
        }
        return v;
    }

    /** ±0.5, ±1 or ±2: products with them are exact, so only the order of the additions shows. */
    private static float[] powersOfTwo(SplittableRandom rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (rng.nextBoolean() ? 1f : -1f) * (1 << rng.nextInt(3)) / 2f;
        }
        return v;
    }

    /**
     * Mostly 0, with a few ±2⁶⁰ (about one in a chunk's sum) and more ±1: whether a 1 survives next to 2⁶⁰ terms that cancel depends on the
     * order of every addition (in the float chains, the double lane sums and the chunk sums alike).
     */
    private static float[] cancelling(SplittableRandom rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            int r = rng.nextInt(4096);
            v[i] = r == 0 ? 0x1p60f : r == 1 ? -0x1p60f : r < 42 ? 1f : r < 82 ? -1f : 0f;
        }
        return v;
    }

    /** Mostly small values, with −0, +0, ±∞, NaN, subnormals and large magnitudes mixed in. */
    private static float[] special(SplittableRandom rng, int size) {
        float[] kinds = {-0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
            -1e-40f, 3e38f, -3e38f};
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            int r = rng.nextInt(40);
            v[i] = r < kinds.length ? kinds[r] : r < 20 ? -0f : (float) ((rng.nextDouble() - 0.5) * 4);
        }
        return v;
    }
}
