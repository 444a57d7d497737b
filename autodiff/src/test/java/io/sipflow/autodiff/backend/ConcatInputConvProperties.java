package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.fast.ScalarKernels;
import io.sipflow.autodiff.backend.fast.VectorKernels;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;
import java.util.SplittableRandom;

import static io.sipflow.autodiff.KernelInputs.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The convolutions whose input ends in computed channels (the U-Net's up blocks: [a, upsample(low)], the upsampled
 * half made per image as the kernel pads it) give the bits of the plain kernels on the concatenated array: forward,
 * weight gradient, and weight and bias gradient; and the data gradient whose upsampled half goes image by image into
 * the upsampling's adjoint gives the bits of the data gradient and the adjoint on whole tensors; so do all gradients
 * computed at once ({@link FastKernels#convBackward}, {@link FastKernels#convBackwardConcat}: one pass over gy). For
 * the Vector API kernels and their plain-Java twins alike, and the two agree with each other.
 */
class ConcatInputConvProperties {
    private static final List<FastKernels> KERNELS = List.of(new VectorKernels(), new ScalarKernels());

    @Property(tries = 40)
    void computedChannelsGiveTheBitsOfTheConcatenatedArray(@ForAll @IntRange(min = 1, max = 5) int n,
                                                           @ForAll @IntRange(min = 1, max = 6) int ca,
                                                           @ForAll @IntRange(min = 1, max = 6) int cb,
                                                           @ForAll @IntRange(min = 1, max = 9) int o,
                                                           @ForAll @IntRange(min = 1, max = 9) int lowH,
                                                           @ForAll @IntRange(min = 1, max = 9) int lowW,
                                                           @ForAll @IntRange(min = 0, max = 2) int halfK,
                                                           @ForAll boolean circular, @ForAll @LongRange long seed) {
        assertConcatBitIdentical(n, ca, cb, o, lowH, lowW, 2 * halfK + 1,
                circular ? Padding.CIRCULAR : Padding.ZERO, seed);
    }

    /**
     * The seed's up-block shapes at 64×64 (the weight gradient in q blocks, output tiles written into y itself) and
     * at 32×32 (whole images), with batches of several chunks.
     */
    @Property(tries = 4)
    void upBlockShapesGiveTheBitsOfTheConcatenatedArray(@ForAll @IntRange(min = 1, max = 3) int n,
                                                        @ForAll boolean large, @ForAll @LongRange long seed) {
        int low = large ? 32 : 16;
        assertConcatBitIdentical(n, 16, 16, 16, low, low, 3, Padding.CIRCULAR, seed);
    }

    private static void assertConcatBitIdentical(int n, int ca, int cb, int o, int lowH, int lowW, int k,
                                                 Padding pad, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int h = 2 * lowH;
        int w = 2 * lowW;
        int c = ca + cb;
        float[] a = randn(rng, n * ca * h * w);
        float[] low = randn(rng, n * cb * lowH * lowW);
        float[] wt = randn(rng, o * c * k * k);
        float[] bias = randn(rng, o);
        float[] gy = randn(rng, n * o * h * w);
        float[] x = concat(a, ca, ImageKernels.upsampleBilinear2x(low, n * cb, lowH, lowW), cb, n, h * w);
        String shape = " n=" + n + " ca=" + ca + " cb=" + cb + " o=" + o + " low " + lowH + "x" + lowW + " k=" + k
                + " " + pad + " seed=" + seed;
        float[][] forward = new float[KERNELS.size()][];
        float[][] weight = new float[KERNELS.size()][];
        for (int i = 0; i < KERNELS.size(); i++) {
            FastKernels kernels = KERNELS.get(i);
            String which = kernels.getClass().getSimpleName() + shape;
            ImageChannels up = ImageKernels.upsampled(low, cb, lowH, lowW);
            forward[i] = kernels.convForwardConcat(a, ca, up, wt, bias, n, h, w, o, k, pad);
            assertBits("forward, " + which, kernels.convForward(x, wt, bias, n, c, h, w, o, k, pad), forward[i]);
            weight[i] = kernels.convBackwardWeightConcat(gy, a, ca, up, n, h, w, o, k, pad);
            assertBits("weight gradient, " + which, kernels.convBackwardWeight(gy, x, n, c, h, w, o, k, pad),
                    weight[i]);
            float[] gbConcat = new float[o];
            float[] gb = new float[o];
            assertBits("weight gradient with the bias's, " + which,
                    kernels.convBackwardWeightAndBias(gy, x, n, c, h, w, o, k, pad, gb),
                    kernels.convBackwardWeightConcatAndBias(gy, a, ca, up, n, h, w, o, k, pad, gbConcat));
            assertBits("bias gradient, " + which, gb, gbConcat);
            float[] gx = kernels.convBackwardData(gy, wt, n, c, h, w, o, k, pad);
            float[] gLow = new float[low.length];
            float[] ga = kernels.convBackwardDataConcat(gy, wt, ImageKernels.upsampledAdjoint(gLow, cb, lowH, lowW), n,
                    c, h, w, o, k, pad);
            float[][] split = split(gx, ca, cb, n, h * w);
            assertBits("data gradient of a, " + which, split[0], ga);
            assertBits("data gradient of low, " + which,
                    ImageKernels.upsampleBilinear2xAdjoint(split[1], n * cb, lowH, lowW), gLow);
            // all gradients at once (one pass over gy where the kernels can): the same bits as one at a time
            float[] gLowAtOnce = new float[low.length];
            float[] gbAtOnce = new float[o];
            float[][] atOnce = kernels.convBackwardConcat(gy, wt, a, ca, up,
                    ImageKernels.upsampledAdjoint(gLowAtOnce, cb, lowH, lowW), n, h, w, o, k, pad, gbAtOnce);
            assertBits("data gradient of a at once, " + which, ga, atOnce[0]);
            assertBits("data gradient of low at once, " + which, gLow, gLowAtOnce);
            assertBits("weight gradient at once, " + which, weight[i], atOnce[1]);
            assertBits("bias gradient at once, " + which, gbConcat, gbAtOnce);
            float[] gbPlain = new float[o];
            float[][] plainAtOnce = kernels.convBackward(gy, wt, x, n, c, h, w, o, k, pad, gbPlain);
            assertBits("conv2d data gradient at once, " + which, gx, plainAtOnce[0]);
            assertBits("conv2d weight gradient at once, " + which, weight[i], plainAtOnce[1]);
            assertBits("conv2d bias gradient at once, " + which, gb, gbPlain);
            assertBits("conv2d weight gradient at once without bias, " + which, weight[i],
                    kernels.convBackward(gy, wt, x, n, c, h, w, o, k, pad, null)[1]);
        }
        assertBits("forward, vector against plain Java" + shape, forward[0], forward[1]);
        assertBits("weight gradient, vector against plain Java" + shape, weight[0], weight[1]);
    }

    /** The reverse of {@link #concat}: x's first ca planes per image, and its other cb. */
    private static float[][] split(float[] x, int ca, int cb, int n, int hw) {
        float[] a = new float[n * ca * hw];
        float[] b = new float[n * cb * hw];
        for (int img = 0; img < n; img++) {
            System.arraycopy(x, img * (ca + cb) * hw, a, img * ca * hw, ca * hw);
            System.arraycopy(x, (img * (ca + cb) + ca) * hw, b, img * cb * hw, cb * hw);
        }
        return new float[][] {a, b};
    }

    /** Per image, a's ca planes then b's cb planes (each plane hw values). */
    private static float[] concat(float[] a, int ca, float[] b, int cb, int n, int hw) {
        float[] x = new float[n * (ca + cb) * hw];
        for (int img = 0; img < n; img++) {
            System.arraycopy(a, img * ca * hw, x, img * (ca + cb) * hw, ca * hw);
            System.arraycopy(b, img * cb * hw, x, (img * (ca + cb) + ca) * hw, cb * hw);
        }
        return x;
    }

    private static void assertBits(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    what + ", element " + i + ": " + want[i] + " vs " + got[i]);
        }
    }
}
