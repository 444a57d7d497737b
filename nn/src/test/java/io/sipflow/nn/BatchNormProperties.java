package io.sipflow.nn;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

/** The hand-written batch-norm VJP (x, γ, β) against central differences; eval mode composes checked ops. */
class BatchNormProperties {
    @Property(tries = 30)
    void trainingModeGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int n,
                                                     @ForAll @IntRange(min = 1, max = 3) int c,
                                                     @ForAll @IntRange(min = 1, max = 3) int h,
                                                     @ForAll @IntRange(min = 2, max = 3) int w,
                                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, h, w);
        Tensor gamma = Tensor.randn(rng, c);
        Tensor beta = Tensor.randn(rng, c);
        GradCheck.check("batchNorm2d", in -> BatchNormOps.batchNorm2d(in[0], in[1], in[2], 1e-5).output(),
                GradCheck.Options.defaults().withSeed(seed), x, gamma, beta).assertPassed();
    }

    @Property(tries = 10)
    void evalModeGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int c, @ForAll long seed) {
        BatchNorm2d bn = new BatchNorm2d(c);
        SplittableRandom rng = new SplittableRandom(seed);
        bn.runningMean().set(Tensor.randn(rng, c));
        bn.runningVar().set(Tensor.rand(rng, c).add(0.5));
        bn.eval();
        GradCheck.check("batchNorm2d eval", in -> bn.forward(in[0]),
                GradCheck.Options.defaults().withSeed(seed), Tensor.randn(rng, 2, c, 2, 2)).assertPassed();
    }
}
