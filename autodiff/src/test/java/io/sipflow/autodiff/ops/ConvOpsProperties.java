package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.CpuBackend;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written VJPs of conv2d and conv2dConcatUpsampled (data, weight, bias) against central differences, on
 * random small shapes; conv2dConcatUpsampled's value also against conv2d of the concatenation.
 */
class ConvOpsProperties {
    @Provide
    Arbitrary<Integer> kernels() {
        return Arbitraries.of(1, 3, 5);
    }

    @Property(tries = 40)
    void conv2dGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int n,
                                               @ForAll @IntRange(min = 1, max = 3) int c,
                                               @ForAll @IntRange(min = 1, max = 3) int o,
                                               @ForAll @IntRange(min = 1, max = 5) int h,
                                               @ForAll @IntRange(min = 1, max = 5) int w,
                                               @ForAll("kernels") int k,
                                               @ForAll Padding padding,
                                               @ForAll boolean withBias,
                                               @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, h, w);
        Tensor wt = Tensor.randn(rng, o, c, k, k);
        GradCheck.Options opts = GradCheck.Options.defaults().withSeed(seed);
        if (withBias) {
            Tensor b = Tensor.randn(rng, o);
            GradCheck.check("conv2d", in -> ConvOps.conv2d(in[0], in[1], in[2], padding), opts, x, wt, b)
                    .assertPassed();
        } else {
            GradCheck.check("conv2d", in -> ConvOps.conv2d(in[0], in[1], null, padding), opts, x, wt)
                    .assertPassed();
        }
    }

    @Property(tries = 40)
    void conv2dConcatUpsampledEqualsConv2dOfTheConcatenation(@ForAll @IntRange(min = 1, max = 2) int n,
                                                            @ForAll @IntRange(min = 1, max = 4) int ca,
                                                            @ForAll @IntRange(min = 1, max = 4) int cb,
                                                            @ForAll @IntRange(min = 1, max = 4) int o,
                                                            @ForAll @IntRange(min = 1, max = 4) int h,
                                                            @ForAll @IntRange(min = 1, max = 4) int w,
                                                            @ForAll("kernels") int k,
                                                            @ForAll Padding padding,
                                                            @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, n, ca, 2 * h, 2 * w);
        Tensor low = Tensor.randn(rng, n, cb, h, w);
        Tensor wt = Tensor.randn(rng, o, ca + cb, k, k);
        Tensor bias = Tensor.randn(rng, o);
        double[] split = ConvOps.conv2dConcatUpsampled(a, low, wt, bias, padding).toDoubleArray();
        double[] joined = ConvOps.conv2d(ShapeOps.concat(1, a, ImageOps.upsampleBilinear2x(low)), wt, bias, padding)
                .toDoubleArray();
        for (int i = 0; i < joined.length; i++) {
            assertEquals(joined[i], split[i], 1e-12 * (1 + Math.abs(joined[i])), "element " + i);
        }
    }

    @Property(tries = 30)
    void conv2dConcatUpsampledGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int n,
                                                              @ForAll @IntRange(min = 1, max = 2) int ca,
                                                              @ForAll @IntRange(min = 1, max = 2) int cb,
                                                              @ForAll @IntRange(min = 1, max = 2) int o,
                                                              @ForAll @IntRange(min = 1, max = 3) int h,
                                                              @ForAll @IntRange(min = 1, max = 3) int w,
                                                              @ForAll("kernels") int k,
                                                              @ForAll Padding padding,
                                                              @ForAll boolean withBias,
                                                              @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, n, ca, 2 * h, 2 * w);
        Tensor low = Tensor.randn(rng, n, cb, h, w);
        Tensor wt = Tensor.randn(rng, o, ca + cb, k, k);
        GradCheck.Options opts = GradCheck.Options.defaults().withSeed(seed);
        if (withBias) {
            Tensor bias = Tensor.randn(rng, o);
            GradCheck.check("conv2dConcatUpsampled",
                    in -> ConvOps.conv2dConcatUpsampled(in[0], in[1], in[2], in[3], padding), opts, a, low, wt, bias)
                    .assertPassed();
        } else {
            GradCheck.check("conv2dConcatUpsampled",
                    in -> ConvOps.conv2dConcatUpsampled(in[0], in[1], in[2], null, padding), opts, a, low, wt)
                    .assertPassed();
        }
    }

    /**
     * FLOAT32 on the CPU's Vector API path: conv2dConcatUpsampled(a, low) is conv2d(concat(1, a, upsample(low)))
     * bit for bit, values and all gradients (the second part continues the first part's accumulation; the gradient
     * kernels work per channel; the upsampling is recomputed with the same kernel), so the U-Net's up blocks change
     * no FLOAT32 result. The same gradients come from a recorded backward pass ({@code Differentiable.YES}), which
     * composes the weight gradient from recorded ops instead of the fused kernel a first-order pass runs.
     */
    @Property(tries = 40)
    void float32Conv2dConcatUpsampledIsBitIdenticalToConv2dOfTheConcatenation(
            @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 6) int ca,
            @ForAll @IntRange(min = 1, max = 6) int cb, @ForAll @IntRange(min = 1, max = 6) int o,
            @ForAll @IntRange(min = 1, max = 5) int h, @ForAll @IntRange(min = 1, max = 5) int w,
            @ForAll("kernels") int k, @ForAll Padding padding, @ForAll long seed) {
        assertTrue(CpuBackend.instance().usesVectorKernels(), "tests run with the Vector API kernels");
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, n, ca, 2 * h, 2 * w).to(DType.FLOAT32).variable();
        Tensor low = Tensor.randn(rng, n, cb, h, w).to(DType.FLOAT32).variable();
        Tensor wt = Tensor.randn(rng, o, ca + cb, k, k).to(DType.FLOAT32).variable();
        Tensor bias = Tensor.randn(rng, o).to(DType.FLOAT32).variable();
        Tensor seedG = Tensor.randn(rng, n, o, 2 * h, 2 * w).to(DType.FLOAT32);
        Tensor split = ConvOps.conv2dConcatUpsampled(a, low, wt, bias, padding);
        Tensor joined = ConvOps.conv2d(ShapeOps.concat(1, a, ImageOps.upsampleBilinear2x(low)), wt, bias, padding);
        assertBits("values", joined, split);
        List<Tensor> in = List.of(a, low, wt, bias);
        Gradients gs = Autodiff.vjp(split, seedG, in, Autodiff.Disconnected.ERROR);
        Gradients gj = Autodiff.vjp(joined, seedG, in, Autodiff.Disconnected.ERROR);
        Gradients recorded = Autodiff.vjp(split, seedG, in, Autodiff.Disconnected.ERROR,
                Autodiff.AfterBackward.KEEP_GRAPH, Autodiff.Differentiable.YES);
        for (int i = 0; i < in.size(); i++) {
            assertBits("gradient of input " + i, gj.get(i), gs.get(i));
            assertBits("recorded gradient of input " + i, gj.get(i), recorded.get(i).constant());
        }
    }

    /**
     * FLOAT32 on the CPU's Vector API path: a first-order backward pass through conv2d, which takes both gradients
     * (and the bias's) from one kernel making one pass over g, gives the bits of a recorded backward pass, which
     * records each gradient as an op of its own.
     */
    @Property(tries = 40)
    void float32Conv2dGradientsInOnePassAreBitIdenticalToTheRecordedOnes(
            @ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 6) int c,
            @ForAll @IntRange(min = 1, max = 9) int o, @ForAll @IntRange(min = 1, max = 12) int h,
            @ForAll @IntRange(min = 1, max = 12) int w, @ForAll("kernels") int k, @ForAll Padding padding,
            @ForAll boolean withBias, @ForAll long seed) {
        assertTrue(CpuBackend.instance().usesVectorKernels(), "tests run with the Vector API kernels");
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, h, w).to(DType.FLOAT32).variable();
        Tensor wt = Tensor.randn(rng, o, c, k, k).to(DType.FLOAT32).variable();
        Tensor bias = withBias ? Tensor.randn(rng, o).to(DType.FLOAT32).variable() : null;
        Tensor seedG = Tensor.randn(rng, n, o, h, w).to(DType.FLOAT32);
        Tensor y = ConvOps.conv2d(x, wt, bias, padding);
        List<Tensor> in = withBias ? List.of(x, wt, bias) : List.of(x, wt);
        Gradients once = Autodiff.vjp(y, seedG, in, Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.KEEP_GRAPH);
        Gradients recorded = Autodiff.vjp(y, seedG, in, Autodiff.Disconnected.ERROR,
                Autodiff.AfterBackward.KEEP_GRAPH, Autodiff.Differentiable.YES);
        for (int i = 0; i < in.size(); i++) {
            assertBits("gradient of input " + i, recorded.get(i).constant(), once.get(i));
        }
    }

    private static void assertBits(String what, Tensor expected, Tensor actual) {
        float[] e = expected.floatData();
        float[] x = actual.floatData();
        assertEquals(e.length, x.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(x[i]),
                    what + ", element " + i + ": " + e[i] + " vs " + x[i]);
        }
    }

    @Example
    void conv2dConcatUpsampledNamesTheMismatchedShapes() {
        Tensor a = Tensor.zeros(1, 2, 4, 4);
        Tensor wt = Tensor.zeros(1, 5, 3, 3);
        Tensor wrongSize = Tensor.zeros(1, 3, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2dConcatUpsampled(a, wrongSize, wt, null, Padding.ZERO));
        assertTrue(e.getMessage().contains("conv2dConcatUpsampled") && e.getMessage().contains("(1, 3, 2, 3)")
                && e.getMessage().contains("half"), e.getMessage());
        Tensor wrongChannels = Tensor.zeros(1, 2, 2, 2);
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2dConcatUpsampled(a, wrongChannels, wt, null, Padding.ZERO));
        assertTrue(e.getMessage().contains("conv2dConcatUpsampled") && e.getMessage().contains("channels"),
                e.getMessage());
    }
}
