package io.sipflow.nn;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dense layer and the MLP: gradients against central differences (FLOAT64), PyTorch's initial bounds. */
class LinearProperties {
    @Property(tries = 20)
    void linearGradientsOfInputWeightAndBiasMatchFiniteDifferences(@ForAll long seed,
                                                                  @ForAll @IntRange(min = 1, max = 4) int batch,
                                                                  @ForAll @IntRange(min = 1, max = 5) int in,
                                                                  @ForAll @IntRange(min = 1, max = 5) int out) {
        SplittableRandom rng = new SplittableRandom(seed);
        Linear layer = new Linear(in, out, rng);
        Tensor x = Tensor.randn(rng, batch, in);
        GradCheck.check("linear", t -> Linear.apply(t[0], t[1], t[2]), GradCheck.Options.defaults().withSeed(seed),
                x, layer.weight().value(), layer.bias().value()).assertPassed();
    }

    @Property(tries = 20)
    void mlpInputGradientMatchesFiniteDifferences(@ForAll long seed) {
        MLP net = new MLP(new MLP.Config(2, 3, List.of(5, 4), Activation.RELU), seed);
        Tensor x = Tensor.randn(new SplittableRandom(seed), 3, 2);
        GradCheck.check("mlp", t -> net.forward(t[0]), GradCheck.Options.defaults().withSeed(seed).withEpsilon(1e-7),
                x).assertPassed();
    }

    @Test
    void initialisationIsPyTorchsUniformWithBoundOneOverSqrtFanIn() {
        Linear layer = new Linear(64, 256, new SplittableRandom(3));
        double bound = 1 / Math.sqrt(64);
        double sumSquares = 0;
        for (double w : layer.weight().value().toDoubleArray()) {
            assertTrue(Math.abs(w) <= bound, "weight " + w + " outside ±" + bound);
            sumSquares += w * w;
        }
        // U(−a, a) has variance a²/3; 16,384 draws put the sample variance within a few percent of it.
        assertEquals(bound * bound / 3, sumSquares / (64 * 256), 0.05 * bound * bound / 3);
        for (double b : layer.bias().value().toDoubleArray()) {
            assertTrue(Math.abs(b) <= bound, "bias " + b + " outside ±" + bound);
        }
    }

    @Test
    void theSinNetworkHasPhiFlowsDenseNetLayout() {
        MLP net = new MLP(new MLP.Config(2, 2, List.of(32, 64, 32), Activation.RELU), 0);
        assertEquals(2 * 32 + 32 + 32 * 64 + 64 + 64 * 32 + 32 + 32 * 2 + 2, net.parameterCount());
        assertEquals(List.of("linear0.weight", "linear0.bias", "linear1.weight", "linear1.bias", "linear2.weight",
                "linear2.bias", "linear3.weight", "linear3.bias"), List.copyOf(net.namedParameters().keySet()));
    }
}
