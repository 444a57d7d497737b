package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

/** maxPool2d and upsampleBilinear2x VJPs against central differences, on random small shapes. */
class ImageOpsProperties {
    @Property(tries = 40)
    void maxPoolGradientGoesToTheArgmax(@ForAll @IntRange(min = 1, max = 2) int n,
                                        @ForAll @IntRange(min = 1, max = 3) int c,
                                        @ForAll @IntRange(min = 1, max = 3) int halfH,
                                        @ForAll @IntRange(min = 1, max = 3) int halfW,
                                        @ForAll long seed) {
        // Gaussian values: a tie closer than ε = 1e-6 (which would break the finite difference) has
        // probability ~1e-6 per window.
        Tensor x = Tensor.randn(new SplittableRandom(seed), n, c, 2 * halfH, 2 * halfW);
        GradCheck.check("maxPool2d", in -> ImageOps.maxPool2d(in[0], 2),
                GradCheck.Options.defaults().withSeed(seed), x).assertPassed();
    }

    @Property(tries = 40)
    void upsampleGradientIsTheTransposedInterpolation(@ForAll @IntRange(min = 1, max = 2) int n,
                                                      @ForAll @IntRange(min = 1, max = 3) int c,
                                                      @ForAll @IntRange(min = 1, max = 5) int h,
                                                      @ForAll @IntRange(min = 1, max = 5) int w,
                                                      @ForAll long seed) {
        Tensor x = Tensor.randn(new SplittableRandom(seed), n, c, h, w);
        GradCheck.check("upsampleBilinear2x", in -> ImageOps.upsampleBilinear2x(in[0]),
                GradCheck.Options.defaults().withSeed(seed), x).assertPassed();
    }
}
