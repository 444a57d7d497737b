package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ImageOps;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link ImageKernels}, called directly and through {@link ImageOps} on FLOAT32 inputs (which use them), equal
 * {@link ReferenceImage}'s double loops bit for bit, values and gradients. The reference runs on the FLOAT64 cast of
 * the inputs (ImageOps on FLOAT64 runs it) and is rounded to float once at the end.
 */
class ImageKernelsProperties {
    @Property(tries = 80)
    void maxPoolEqualsImageOps(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int c,
                               @ForAll @IntRange(min = 1, max = 9) int oh, @ForAll @IntRange(min = 1, max = 9) int ow,
                               @ForAll boolean ties, @ForAll @LongRange long seed) {
        int h = 2 * oh;
        int w = 2 * ow;
        Tensor x = random(new SplittableRandom(seed), ties, n, c, h, w).variable();
        Tensor g = random(new SplittableRandom(seed + 1), false, n, c, oh, ow);
        Tensor x64 = x.to(DType.FLOAT64).constant().variable();
        Tensor want = ImageOps.maxPool2d(x64, 2);
        Tensor wantGx = Autodiff.grad(want.mul(g.to(DType.FLOAT64)).sum(), x64).get(x64);
        assertArrayEquals(want.toFloatArray(), ImageKernels.maxPool(x.floatData(), n * c, h, w, 2),
                "maxPool values (seed " + seed + ")");
        assertArrayEquals(wantGx.toFloatArray(), ImageKernels.maxPoolBackward(g.floatData(), x.floatData(), n * c, h,
                w, 2), "maxPool gradient (seed " + seed + ")");
        Tensor op = ImageOps.maxPool2d(x, 2);
        assertArrayEquals(want.toFloatArray(), op.floatData(), "ImageOps.maxPool2d FLOAT32 values (seed " + seed + ")");
        assertArrayEquals(wantGx.toFloatArray(), Autodiff.grad(op.mul(g).sum(), x).get(x).floatData(),
                "ImageOps.maxPool2d FLOAT32 gradient (seed " + seed + ")");
    }

    @Property(tries = 80)
    void upsampleEqualsImageOps(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int c,
                                @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                @ForAll @LongRange long seed) {
        Tensor x = random(new SplittableRandom(seed), false, n, c, h, w).variable();
        Tensor g = random(new SplittableRandom(seed + 1), false, n, c, 2 * h, 2 * w);
        Tensor x64 = x.to(DType.FLOAT64).constant().variable();
        Tensor want = ImageOps.upsampleBilinear2x(x64);
        Tensor wantGx = Autodiff.grad(want.mul(g.to(DType.FLOAT64)).sum(), x64).get(x64);
        assertArrayEquals(want.toFloatArray(), ImageKernels.upsampleBilinear2x(x.floatData(), n * c, h, w),
                "upsample values (seed " + seed + ")");
        assertArrayEquals(wantGx.toFloatArray(), ImageKernels.upsampleBilinear2xAdjoint(g.floatData(), n * c, h, w),
                "upsample gradient (seed " + seed + ")");
        Tensor op = ImageOps.upsampleBilinear2x(x);
        assertArrayEquals(want.toFloatArray(), op.floatData(), "ImageOps.upsampleBilinear2x FLOAT32 values (seed "
                + seed + ")");
        assertArrayEquals(wantGx.toFloatArray(), Autodiff.grad(op.mul(g).sum(), x).get(x).floatData(),
                "ImageOps.upsampleBilinear2x FLOAT32 gradient (seed " + seed + ")");
    }

    /**
     * With ±∞, NaN and −0 among the values the kernels still equal the reference's double loops (rounded once), NaN
     * for NaN: the edge columns' terms, weight-0 taps included (0·∞ = NaN), are the reference's.
     */
    @Property(tries = 80)
    void upsampleWithSpecialValuesEqualsReference(@ForAll @IntRange(min = 1, max = 3) int planes,
                                                  @ForAll @IntRange(min = 1, max = 11) int h,
                                                  @ForAll @IntRange(min = 1, max = 11) int w,
                                                  @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = withSpecials(rng, planes * h * w);
        float[] g = withSpecials(rng, planes * 4 * h * w);
        assertArrayEquals(rounded(ReferenceImage.upsampleBilinear2x(widened(x), planes, h, w)),
                ImageKernels.upsampleBilinear2x(x, planes, h, w), "upsample values (seed " + seed + ")");
        assertArrayEquals(rounded(ReferenceImage.upsampleBilinear2xAdjoint(widened(g), planes, h, w)),
                ImageKernels.upsampleBilinear2xAdjoint(g, planes, h, w), "upsample gradient (seed " + seed + ")");
    }

    /**
     * The upsampling kernels keep per-thread scratch rows between calls: a call right after a larger one (whose
     * values, NaN and ∞ among them, are left in the scratch) still equals the reference.
     */
    @Property(tries = 60)
    void upsampleAfterALargerCallEqualsReference(@ForAll @IntRange(min = 1, max = 3) int planes,
                                                 @ForAll @IntRange(min = 1, max = 11) int h,
                                                 @ForAll @IntRange(min = 1, max = 11) int w,
                                                 @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int bigH = h + 1 + rng.nextInt(6);
        int bigW = w + 1 + rng.nextInt(6);
        ImageKernels.upsampleBilinear2x(withSpecials(rng, bigH * bigW), 1, bigH, bigW);
        ImageKernels.upsampleBilinear2xAdjoint(withSpecials(rng, 4 * bigH * bigW), 1, bigH, bigW);
        float[] x = withSpecials(rng, planes * h * w);
        float[] g = withSpecials(rng, planes * 4 * h * w);
        assertArrayEquals(rounded(ReferenceImage.upsampleBilinear2x(widened(x), planes, h, w)),
                ImageKernels.upsampleBilinear2x(x, planes, h, w), "upsample values (seed " + seed + ")");
        ImageKernels.upsampleBilinear2xAdjoint(withSpecials(rng, 4 * bigH * bigW), 1, bigH, bigW);
        assertArrayEquals(rounded(ReferenceImage.upsampleBilinear2xAdjoint(widened(g), planes, h, w)),
                ImageKernels.upsampleBilinear2xAdjoint(g, planes, h, w), "upsample gradient (seed " + seed + ")");
    }

    private static float[] withSpecials(SplittableRandom rng, int size) {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = rng.nextInt(10) == 0 ? special[rng.nextInt(special.length)] : (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static double[] widened(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] rounded(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static Tensor random(SplittableRandom rng, boolean ties, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ties ? rng.nextInt(3) : rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(DType.FLOAT32, s, v);
    }
}
