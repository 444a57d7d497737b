package io.sipflow.autodiff.backend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The 2×2 max pooling through {@link FastPath}'s row kernels (the Vector API where present) selects bit for bit
 * what the plain-Java scan selects, values and gradients: rows wide enough for several vectors and a scalar tail,
 * and inputs full of ties, +0 against −0, and NaNs of different payloads (the scan keeps the first maximum and the
 * last NaN).
 */
class MaxPoolKernelsProperties {
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0x7fc00001),
        Float.intBitsToFloat(0xffc12345), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Property(tries = 60)
    void fastRowKernelsSelectWhatTheScanSelects(@ForAll @IntRange(min = 1, max = 5) int planes,
                                                @ForAll @IntRange(min = 1, max = 4) int oh,
                                                @ForAll @IntRange(min = 1, max = 70) int ow,
                                                @ForAll @IntRange(min = 0, max = 3) int kind,
                                                @ForAll @LongRange long seed) {
        int h = 2 * oh;
        int w = 2 * ow;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (kind) {
                case 0 -> (float) (rng.nextDouble() * 2 - 1);
                case 1 -> rng.nextInt(3);
                case 2 -> SPECIAL[rng.nextInt(SPECIAL.length)];
                // rare specials: most vector blocks hold none, so a wrong NaN or −0 selection is not hidden behind
                // the scalar loop that takes over at a block with a NaN maximum
                default -> rng.nextInt(200) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)] : rng.nextInt(3) - 1f;
            };
        }
        float[] gy = new float[planes * oh * ow];
        for (int i = 0; i < gy.length; i++) {
            gy[i] = rng.nextInt(5) == 0 ? -0f : (float) (rng.nextDouble() * 2 - 1);
        }
        FastKernels fast = FastPath.kernels();
        assertSameBits(ImageKernels.maxPool(x, planes, h, w, 2), ImageKernels.maxPool(x, planes, h, w, 2, fast),
                "values", seed);
        assertSameBits(ImageKernels.maxPoolBackward(gy, x, planes, h, w, 2),
                ImageKernels.maxPoolBackward(gy, x, planes, h, w, 2, fast), "gradients", seed);
        // the plane kernel that keeps the argmax (plain Java and fast rows), and the VJP from the kept argmax
        for (FastKernels kernels : new FastKernels[] {null, fast}) {
            float[] y = new float[gy.length];
            byte[] window = new byte[gy.length];
            for (int p = 0; p < planes; p++) {
                ImageKernels.maxPool2x2Plane(x, p * h * w, h, w, y, window, p * oh * ow, kernels, new float[ow]);
            }
            String how = kernels == null ? " (plain plane kernel)" : " (fast plane kernel)";
            assertSameBits(ImageKernels.maxPool(x, planes, h, w, 2), y, "values keeping the argmax" + how, seed);
            assertSameBits(ImageKernels.maxPoolBackward(gy, x, planes, h, w, 2),
                    ImageKernels.maxPool2x2Backward(gy, window, planes, h, w), "gradients from the argmax" + how, seed);
        }
    }

    /**
     * The VJP from the kept argmax writes every element of a recycled (dirty) output array: each output row zeroes
     * its own two input rows, so NaNs left in the pool's array do not survive. Planes of at least
     * {@link io.sipflow.autodiff.BufferPool#MIN_LENGTH} values, so the output does come from the pool.
     */
    @Property(tries = 20)
    void gradientFromTheArgmaxOverwritesARecycledArray(@ForAll @IntRange(min = 2, max = 3) int planes,
                                                       @ForAll @IntRange(min = 16, max = 20) int oh,
                                                       @ForAll @IntRange(min = 32, max = 40) int ow,
                                                       @ForAll @LongRange long seed) {
        int h = 2 * oh;
        int w = 2 * ow;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(50) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)] : (float) (rng.nextDouble() * 2 - 1);
        }
        float[] gy = new float[planes * oh * ow];
        for (int i = 0; i < gy.length; i++) {
            gy[i] = rng.nextInt(5) == 0 ? -0f : (float) (rng.nextDouble() * 2 - 1);
        }
        float[] y = new float[gy.length];
        byte[] window = new byte[gy.length];
        for (int p = 0; p < planes; p++) {
            ImageKernels.maxPool2x2Plane(x, p * h * w, h, w, y, window, p * oh * ow, FastPath.kernels(),
                    new float[ow]);
        }
        float[] want = ImageKernels.maxPoolBackward(gy, x, planes, h, w, 2); // before the dirty array is pooled
        float[] dirty = io.sipflow.autodiff.BufferPool.floats(x.length);
        java.util.Arrays.fill(dirty, Float.NaN);
        io.sipflow.autodiff.BufferPool.recycleTemporary(io.sipflow.autodiff.Tensor.wrap(
                io.sipflow.autodiff.Shape.of(x.length), dirty), "MaxPoolKernelsProperties");
        float[] got = ImageKernels.maxPool2x2Backward(gy, window, planes, h, w);
        assertEquals(true, got == dirty, "the kernel's output is the recycled array");
        assertSameBits(want, got, "gradients from the argmax, recycled array", seed);
    }

    /**
     * The VJP from the kept argmax added to an earlier gradient in one pass is, bit for bit, the separate scatter
     * and the float add previous + scatter: −0 in previous becomes +0 where no gradient lands, NaN, ±∞ and ∞ − ∞
     * come out as the add makes them (a NaN's payload too, unless both summands are NaN); a recycled NaN-filled
     * output array leaves no trace.
     */
    @Property(tries = 40)
    void gradientFromTheArgmaxAddedToAnEarlierOneIsTheScatterThenTheAdd(
            @ForAll @IntRange(min = 1, max = 3) int planes, @ForAll @IntRange(min = 1, max = 20) int oh,
            @ForAll @IntRange(min = 1, max = 40) int ow, @ForAll @LongRange long seed) {
        int h = 2 * oh;
        int w = 2 * ow;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[planes * h * w];
        float[] previous = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(20) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)] : (float) (rng.nextDouble() * 2 - 1);
            previous[i] = rng.nextInt(4) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)]
                    : (float) (rng.nextDouble() * 2 - 1);
        }
        float[] gy = new float[planes * oh * ow];
        for (int i = 0; i < gy.length; i++) {
            gy[i] = rng.nextInt(4) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)] : (float) (rng.nextDouble() * 2 - 1);
        }
        float[] y = new float[gy.length];
        byte[] window = new byte[gy.length];
        for (int p = 0; p < planes; p++) {
            ImageKernels.maxPool2x2Plane(x, p * h * w, h, w, y, window, p * oh * ow, FastPath.kernels(),
                    new float[ow]);
        }
        float[] scatter = ImageKernels.maxPool2x2Backward(gy, window, planes, h, w);
        float[] want = new float[x.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = previous[i] + scatter[i];
        }
        float[] dirty = io.sipflow.autodiff.BufferPool.floats(x.length);
        java.util.Arrays.fill(dirty, Float.NaN);
        io.sipflow.autodiff.BufferPool.recycleTemporary(io.sipflow.autodiff.Tensor.wrap(
                io.sipflow.autodiff.Shape.of(x.length), dirty), "MaxPoolKernelsProperties");
        float[] got = ImageKernels.maxPool2x2BackwardAdding(previous, gy, window, planes, h, w);
        if (x.length >= io.sipflow.autodiff.BufferPool.MIN_LENGTH) { // smaller arrays are not pooled
            assertEquals(true, got == dirty, "the kernel's output is the recycled array");
        }
        // Java leaves the payload of NaN + NaN open (C2 may swap an add's operands): any NaN for a NaN there
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(previous[i]) && Float.isNaN(scatter[i])) {
                assertEquals(true, Float.isNaN(got[i]), "NaN + NaN at " + i + " (seed " + seed + ")");
                got[i] = want[i];
            }
        }
        assertSameBits(want, got, "previous + gradients from the argmax", seed);
    }

    private static void assertSameBits(float[] want, float[] got, String what, long seed) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            int wb = Float.floatToRawIntBits(want[i]);
            int gb = Float.floatToRawIntBits(got[i]);
            if (wb != gb) {
                throw new AssertionError(what + " differ at " + i + ": plain Java " + Integer.toHexString(wb)
                        + ", " + FastPath.describe() + " " + Integer.toHexString(gb) + " (seed " + seed + ")");
            }
        }
    }
}
