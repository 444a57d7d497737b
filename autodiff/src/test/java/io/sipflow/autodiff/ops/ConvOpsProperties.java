package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written VJPs of conv2d and conv2dConcat (data, weight, bias) against central differences, on random
 * small shapes; conv2dConcat's value also against conv2d of the concatenation.
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
    void conv2dConcatGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int n,
                                                     @ForAll @IntRange(min = 1, max = 3) int ca,
                                                     @ForAll @IntRange(min = 1, max = 3) int cb,
                                                     @ForAll @IntRange(min = 1, max = 3) int o,
                                                     @ForAll @IntRange(min = 1, max = 5) int h,
                                                     @ForAll @IntRange(min = 1, max = 5) int w,
                                                     @ForAll("kernels") int k,
                                                     @ForAll Padding padding,
                                                     @ForAll boolean withBias,
                                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, n, ca, h, w);
        Tensor b = Tensor.randn(rng, n, cb, h, w);
        Tensor wt = Tensor.randn(rng, o, ca + cb, k, k);
        GradCheck.Options opts = GradCheck.Options.defaults().withSeed(seed);
        if (withBias) {
            Tensor bias = Tensor.randn(rng, o);
            GradCheck.check("conv2dConcat", in -> ConvOps.conv2dConcat(in[0], in[1], in[2], in[3], padding), opts,
                    a, b, wt, bias).assertPassed();
        } else {
            GradCheck.check("conv2dConcat", in -> ConvOps.conv2dConcat(in[0], in[1], in[2], null, padding), opts,
                    a, b, wt).assertPassed();
        }
    }

    @Property(tries = 40)
    void conv2dConcatEqualsConv2dOfTheConcatenation(@ForAll @IntRange(min = 1, max = 2) int n,
                                                   @ForAll @IntRange(min = 1, max = 4) int ca,
                                                   @ForAll @IntRange(min = 1, max = 4) int cb,
                                                   @ForAll @IntRange(min = 1, max = 4) int o,
                                                   @ForAll @IntRange(min = 1, max = 6) int h,
                                                   @ForAll @IntRange(min = 1, max = 6) int w,
                                                   @ForAll("kernels") int k,
                                                   @ForAll Padding padding,
                                                   @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, n, ca, h, w);
        Tensor b = Tensor.randn(rng, n, cb, h, w);
        Tensor wt = Tensor.randn(rng, o, ca + cb, k, k);
        Tensor bias = Tensor.randn(rng, o);
        double[] split = ConvOps.conv2dConcat(a, b, wt, bias, padding).toDoubleArray();
        double[] joined = ConvOps.conv2d(ShapeOps.concat(1, a, b), wt, bias, padding).toDoubleArray();
        for (int i = 0; i < joined.length; i++) {
            assertEquals(joined[i], split[i], 1e-12 * (1 + Math.abs(joined[i])), "element " + i);
        }
    }

    @Example
    void conv2dConcatNamesTheMismatchedShapes() {
        Tensor a = Tensor.zeros(1, 2, 4, 4);
        Tensor b = Tensor.zeros(1, 3, 4, 5);
        Tensor wt = Tensor.zeros(1, 5, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2dConcat(a, b, wt, null, Padding.ZERO));
        assertTrue(e.getMessage().contains("conv2dConcat") && e.getMessage().contains("(1, 3, 4, 5)"),
                e.getMessage());
        Tensor b2 = Tensor.zeros(1, 2, 4, 4);
        e = assertThrows(IllegalArgumentException.class, () -> ConvOps.conv2dConcat(a, b2, wt, null, Padding.ZERO));
        assertTrue(e.getMessage().contains("channels"), e.getMessage());
    }
}
