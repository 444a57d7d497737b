package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

/**
 * The hand-written batch-norm VJPs (x, γ, β) against central differences in FLOAT64: training mode with and without
 * the fused ReLU, and inference mode with given statistics.
 */
class NormOpsProperties {
    @Property(tries = 30)
    void trainingModeGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int n,
                                                     @ForAll @IntRange(min = 1, max = 3) int c,
                                                     @ForAll @IntRange(min = 1, max = 3) int h,
                                                     @ForAll @IntRange(min = 2, max = 3) int w,
                                                     @ForAll NormOps.Fused fused,
                                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, h, w);
        Tensor gamma = Tensor.randn(rng, c);
        Tensor beta = Tensor.randn(rng, c);
        GradCheck.check("batchNorm2d " + fused, in -> NormOps.batchNorm2d(in[0], in[1], in[2], 1e-5, fused).output(),
                GradCheck.Options.defaults().withSeed(seed), x, gamma, beta).assertPassed();
    }

    @Property(tries = 20)
    void inferenceModeGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int n,
                                                      @ForAll @IntRange(min = 1, max = 3) int c,
                                                      @ForAll NormOps.Fused fused,
                                                      @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, 2, 3);
        Tensor gamma = Tensor.randn(rng, c);
        Tensor beta = Tensor.randn(rng, c);
        Tensor mean = Tensor.randn(rng, c);
        Tensor variance = Tensor.rand(rng, c).add(0.5);
        GradCheck.check("batchNorm2dInference " + fused,
                in -> NormOps.batchNorm2dInference(in[0], in[1], in[2], mean, variance, 1e-5, fused),
                GradCheck.Options.defaults().withSeed(seed), x, gamma, beta).assertPassed();
    }
}
