package io.sipflow.nn;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

/** BatchNorm2d in eval mode (running statistics) against central differences (the op: autodiff NormOpsProperties). */
class BatchNormProperties {
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
