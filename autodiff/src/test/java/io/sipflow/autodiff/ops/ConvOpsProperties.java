package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

/** conv2d's hand-written VJP (data, weight, bias) against central differences, on random small shapes. */
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
}
