package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Backend methods of the default {@link CpuBackend} (fast FLOAT32 kernels) against {@link CpuBackend#scalar()}
 * (the reference loops, the spec) on the same FLOAT32 tensors. Pooling and upsampling must agree bit for bit (same
 * comparisons, same double expressions rounded once). Batch norm sums in another order (four interleaved partial
 * sums per block against one running sum), so y, gx, gγ and gβ agree within 2 float ulps of the reference plus
 * 1e-9 of the largest magnitude in that tensor, and the double statistics within 1e-12 relative.
 */
class CpuBackendEquivalenceProperties {
    private static final Backend FAST = CpuBackend.instance();
    private static final Backend REFERENCE = CpuBackend.scalar();

    @Property(tries = 60)
    void maxPoolIsBitIdentical(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                               @ForAll @IntRange(min = 1, max = 6) int oh, @ForAll @IntRange(min = 1, max = 6) int ow,
                               @ForAll @IntRange(min = 1, max = 3) int size, @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // small integers make ties, which must go to the first maximum in both
        Tensor x = random(rng, true, n, c, oh * size, ow * size);
        Tensor gy = random(rng, false, n, c, oh, ow);
        bits("maxPool2d", REFERENCE.maxPool2d(x, size), FAST.maxPool2d(x, size), seed);
        bits("maxPool2dBackward", REFERENCE.maxPool2dBackward(gy, x, size), FAST.maxPool2dBackward(gy, x, size), seed);
    }

    @Property(tries = 60)
    void upsampleIsBitIdentical(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                                @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = random(rng, false, n, c, h, w);
        Tensor gy = random(rng, false, n, c, 2 * h, 2 * w);
        bits("upsampleBilinear2x", REFERENCE.upsampleBilinear2x(x), FAST.upsampleBilinear2x(x), seed);
        bits("upsampleBilinear2xAdjoint", REFERENCE.upsampleBilinear2xAdjoint(gy, x.shape()),
                FAST.upsampleBilinear2xAdjoint(gy, x.shape()), seed);
    }

    @Property(tries = 60)
    void batchNormAgreesWithinRounding(@ForAll @IntRange(min = 1, max = 4) int n,
                                       @ForAll @IntRange(min = 1, max = 4) int c,
                                       @ForAll @IntRange(min = 1, max = 70) int hw, @ForAll boolean relu,
                                       @ForAll @LongRange long seed) {
        if (n * hw < 2) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = random(rng, false, n, c, 1, hw);
        Tensor g = random(rng, false, n, c, 1, hw);
        Tensor gamma = random(rng, false, c);
        Tensor beta = random(rng, false, c);
        Backend.BatchNormForward want = REFERENCE.batchNormTraining(x, gamma, beta, 1e-5, relu);
        Backend.BatchNormForward got = FAST.batchNormTraining(x, gamma, beta, 1e-5, relu);
        close("y", want.y(), got.y(), seed);
        close("mean", want.mean(), got.mean(), seed);
        close("variance", want.variance(), got.variance(), seed);
        // both backwards get the same statistics and mask, so only their own sums differ
        Tensor mask = relu ? want.y() : null;
        Backend.BatchNormGradients wantG = REFERENCE.batchNormBackward(g, mask, x, gamma, want.mean(),
                want.variance(), 1e-5);
        Backend.BatchNormGradients gotG = FAST.batchNormBackward(g, mask, x, gamma, want.mean(), want.variance(),
                1e-5);
        close("gx", wantG.gx(), gotG.gx(), seed);
        close("gGamma", wantG.gGamma(), gotG.gGamma(), seed);
        close("gBeta", wantG.gBeta(), gotG.gBeta(), seed);
    }

    private static void bits(String what, Tensor want, Tensor got, long seed) {
        assertEquals(want.shape(), got.shape(), what + " shape");
        assertEquals(DType.FLOAT32, got.dtype(), what + " dtype");
        float[] e = want.floatData();
        float[] a = got.floatData();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                fail(what + "[" + i + "]: reference " + e[i] + ", fast " + a[i] + " (seed " + seed + ")");
            }
        }
    }

    private static void close(String what, Tensor want, Tensor got, long seed) {
        assertEquals(want.shape(), got.shape(), what + " shape");
        assertEquals(want.dtype(), got.dtype(), what + " dtype");
        double[] e = want.toDoubleArray();
        double[] a = got.toDoubleArray();
        double largest = 0;
        for (double v : e) {
            largest = Math.max(largest, Math.abs(v));
        }
        boolean single = want.dtype() == DType.FLOAT32;
        for (int i = 0; i < e.length; i++) {
            double tol = single ? 2 * Math.ulp((float) Math.abs(e[i])) + 1e-9 * largest : 1e-12 * (largest + 1);
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                fail(what + "[" + i + "]: reference " + e[i] + ", fast " + a[i] + ", |diff| " + Math.abs(a[i] - e[i])
                        + " > " + tol + " (seed " + seed + ")");
            }
        }
    }

    /** FLOAT32 values uniform in [−1, 1), or small integers 0..2 (many ties). */
    private static Tensor random(SplittableRandom rng, boolean ties, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ties ? rng.nextInt(3) : rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(DType.FLOAT32, s, v);
    }
}
