package io.sipflow.nn;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.SplittableRandom;

/**
 * The whole network's input gradient (every layer's VJP chained: conv, batch norm, ReLU, pool, upsample, concat)
 * against central differences. A ReLU input within ε = 1e-6 of its kink would spoil the difference; with ~200
 * Gaussian-ish activations that has probability ~1e-4 per try.
 */
class UNetProperties {
    @Property(tries = 10)
    void inputGradientOfASmallUNetMatchesFiniteDifferences(@ForAll Padding padding, @ForAll Norm norm,
                                                           @ForAll long seed) {
        UNet net = new UNet(new UNet.Config(1, 2, 2, 3, norm, Activation.RELU, padding), seed);
        Tensor x = Tensor.randn(new SplittableRandom(seed), 2, 1, 4, 4);
        GradCheck.check("unet", in -> net.forward(in[0]), GradCheck.Options.defaults().withSeed(seed), x)
                .assertPassed();
    }
}
