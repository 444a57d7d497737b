package io.sipflow.nn;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end in miniature: Adam through Training.updateWeights makes a small U-Net fit a fixed target. */
class TrainingTest {
    @Test
    void adamReducesTheLossOfASmallUNet() {
        UNet net = new UNet(new UNet.Config(1, 1, 2, 4, Norm.BATCH, Activation.RELU, Padding.CIRCULAR), 11);
        SplittableRandom rng = new SplittableRandom(12);
        Tensor x = Tensor.randn(rng, 4, 1, 8, 8);
        Tensor target = x.mul(0.5).add(1.0);
        Adam adam = new Adam(net.parameters(), 1e-2);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 30; step++) {
            Training.Step<Void> s = Training.updateWeights(net, adam, () -> Training.Loss.of(
                    net.forward(x).sub(target).square().sum(new int[] {1, 2, 3}, false).mul(0.5)));
            if (step == 0) {
                first = s.loss().item();
            }
            last = s.loss().item();
        }
        assertTrue(last < 0.5 * first, "loss went from " + first + " to " + last + " in 30 Adam steps");
    }
}
