package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ShapeOps;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Vector API convolutions equal the scalar reference ({@link ReferenceConv}, double accumulation rounded
 * once) on random shapes. Tolerance: FLOAT32 accumulation of K terms in a fixed order errs by at most about
 * K·2⁻²⁴ times the sum of the terms' magnitudes; we allow 1e-5 × Σ|terms| (+1e-30), where Σ|terms| is the
 * reference convolution of |x| and |w| (|b| included): the same sum with every term made positive.
 */
class FastConvEquivalenceProperties {
    private static final double RELATIVE = 1e-5;
    private final CpuBackend fast = CpuBackend.instance();

    @Property(tries = 120)
    void forwardMatchesReference(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 20) int c,
                                 @ForAll @IntRange(min = 1, max = 20) int o, @ForAll @IntRange(min = 1, max = 13) int h,
                                 @ForAll @IntRange(min = 1, max = 13) int w, @ForAll @IntRange(min = 0, max = 2) int halfK,
                                 @ForAll boolean circular, @ForAll boolean withBias, @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = randn(rng, n, c, h, w);
        Tensor wt = randn(rng, o, c, k, k);
        Tensor b = withBias ? randn(rng, o) : null;
        assertTrue(fast.usesVectorKernels(), "the default CPU backend should use the Vector API kernels in tests");
        Tensor got = fast.conv2d(x, wt, b, pad);
        double[] want = ReferenceConv.forward(d(x), d(wt), b == null ? null : d(b), n, c, h, w, o, k, pad);
        double[] bound = ReferenceConv.forward(abs(x), abs(wt), b == null ? null : abs(b), n, c, h, w, o, k, pad);
        assertClose("conv2d forward", got, want, bound, seed);
    }

    @Property(tries = 120)
    void backwardDataMatchesReference(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 20) int c,
                                      @ForAll @IntRange(min = 1, max = 20) int o, @ForAll @IntRange(min = 1, max = 13) int h,
                                      @ForAll @IntRange(min = 1, max = 13) int w, @ForAll @IntRange(min = 0, max = 2) int halfK,
                                      @ForAll boolean circular, @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor gy = randn(rng, n, o, h, w);
        Tensor wt = randn(rng, o, c, k, k);
        Shape xShape = Shape.of(n, c, h, w);
        Tensor got = fast.conv2dBackwardData(gy, wt, pad, xShape);
        double[] want = ReferenceConv.backwardData(d(gy), d(wt), n, c, h, w, o, k, pad);
        double[] bound = ReferenceConv.backwardData(abs(gy), abs(wt), n, c, h, w, o, k, pad);
        assertClose("conv2d backward-data", got, want, bound, seed);
    }

    @Property(tries = 120)
    void backwardWeightMatchesReference(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 20) int c,
                                        @ForAll @IntRange(min = 1, max = 20) int o, @ForAll @IntRange(min = 1, max = 13) int h,
                                        @ForAll @IntRange(min = 1, max = 13) int w, @ForAll @IntRange(min = 0, max = 2) int halfK,
                                        @ForAll boolean circular, @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor gy = randn(rng, n, o, h, w);
        Tensor x = randn(rng, n, c, h, w);
        Shape wShape = Shape.of(o, c, k, k);
        Tensor got = fast.conv2dBackwardWeight(gy, x, pad, wShape);
        double[] want = ReferenceConv.backwardWeight(d(gy), d(x), n, c, h, w, o, k, pad);
        double[] bound = ReferenceConv.backwardWeight(abs(gy), abs(x), n, c, h, w, o, k, pad);
        assertClose("conv2d backward-weight", got, want, bound, seed);
    }

    /**
     * conv2dAccumulate continues the float accumulation: conv over channels [0, ca) with the bias, then the rest
     * accumulated, equals one conv over all channels bit for bit (what ConvOps.conv2dConcat relies on).
     */
    @Property(tries = 80)
    void accumulatingTheSecondChannelPartEqualsOneConvolutionBitForBit(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 9) int ca,
            @ForAll @IntRange(min = 1, max = 9) int cb, @ForAll @IntRange(min = 1, max = 9) int o,
            @ForAll @IntRange(min = 1, max = 11) int h, @ForAll @IntRange(min = 1, max = 11) int w,
            @ForAll @IntRange(min = 0, max = 2) int halfK, @ForAll boolean circular, @ForAll boolean withBias,
            @ForAll @LongRange long seed) {
        int k = 2 * halfK + 1;
        Padding pad = circular ? Padding.CIRCULAR : Padding.ZERO;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = randn(rng, n, ca, h, w);
        Tensor b = randn(rng, n, cb, h, w);
        Tensor wt = randn(rng, o, ca + cb, k, k);
        Tensor bias = withBias ? randn(rng, o) : null;
        assertTrue(fast.usesVectorKernels(), "the default CPU backend should use the Vector API kernels in tests");
        Tensor whole = fast.conv2d(ShapeOps.concat(1, a, b), wt, bias, pad);
        Tensor parts = fast.conv2dAccumulate(fast.conv2d(a, ShapeOps.slice(wt, 1, 0, ca), bias, pad), b,
                ShapeOps.slice(wt, 1, ca, ca + cb), pad);
        float[] want = whole.floatData();
        float[] got = parts.floatData();
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                fail("conv2dAccumulate " + whole.shape() + ": element " + i + " parts=" + got[i] + " whole=" + want[i]
                        + " (seed " + seed + ")");
            }
        }
    }

    static Tensor randn(SplittableRandom rng, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(s, v);
    }

    static double[] d(Tensor t) {
        return t.toDoubleArray();
    }

    static double[] abs(Tensor t) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        return v;
    }

    /** |got − want| ≤ RELATIVE·bound elementwise; the message names the op, the worst element and the seed. */
    static void assertClose(String op, Tensor got, double[] want, double[] bound, long seed) {
        if (got.dtype() != DType.FLOAT32 || got.size() != want.length) {
            fail(op + ": expected FLOAT32 result of " + want.length + " elements, got " + got);
        }
        float[] g = got.floatData();
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(g[i] - want[i]);
            if (!(err <= RELATIVE * bound[i] + 1e-30)) {
                fail(op + " " + got.shape() + ": element " + i + " fast=" + g[i] + " reference=" + want[i]
                        + " |err|=" + err + " > " + RELATIVE + "·Σ|terms| = " + RELATIVE * bound[i] + " (seed " + seed + ")");
            }
        }
    }
}
