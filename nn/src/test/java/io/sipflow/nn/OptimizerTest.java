package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adam and SGD on f(θ) = ½·Σ aᵢθᵢ² with a = (2, 1), θ₀ = (1, −0.5): gradient (2θ₁, θ₂). */
class OptimizerTest {
    /** A module holding θ whose "forward" is the quadratic loss. */
    static final class Quadratic extends Module {
        final Parameter theta = addParameter("theta", Tensor.vector(1, -0.5));

        Tensor loss() {
            return theta.value().square().mul(Tensor.vector(2, 1)).sum().mul(0.5);
        }

        @Override
        public Tensor forward(Tensor x) {
            return loss();
        }
    }

    private static void step(Quadratic q, Optimizer opt) {
        opt.step(Autodiff.grad(q.loss(), q.parameterValues()));
    }

    @Test
    void adamMatchesHandComputedSteps() {
        Quadratic q = new Quadratic();
        Adam adam = new Adam(q.parameters(), 0.1);
        // Step 1: m̂ = g, v̂ = g², so θ ← θ − lr·g/(|g| + ε): 1 − 0.1·2/(2 + 1e-7), −0.5 + 0.1·0.5/(0.5 + 1e-7).
        step(q, adam);
        assertArrayEquals(new double[] {1 - 0.2 / (2 + 1e-7), -0.5 + 0.05 / (0.5 + 1e-7)},
                q.theta.value().toDoubleArray(), 1e-15);
        // Steps 2 and 3 from the same recurrences (m, v, bias corrections 1 − 0.9ᵗ, 1 − 0.999ᵗ); PyTorch's
        // torch.optim.Adam(lr=0.1, eps=1e-7) gives the same values to 1e-16.
        step(q, adam);
        assertArrayEquals(new double[] {0.8004122378766997, -0.30118746101715554},
                q.theta.value().toDoubleArray(), 1e-13);
        step(q, adam);
        assertArrayEquals(new double[] {0.7015862869714917, -0.20487131296416455},
                q.theta.value().toDoubleArray(), 1e-13);
        assertEquals(3, adam.steps());
    }

    @Test
    void sgdWithMomentumMatchesHandComputedSteps() {
        Quadratic q = new Quadratic();
        SGD sgd = new SGD(q.parameters(), 0.1, 0.9);
        step(q, sgd); // b = g = (2, −0.5)
        assertArrayEquals(new double[] {0.8, -0.45}, q.theta.value().toDoubleArray(), 1e-15);
        step(q, sgd); // g = (1.6, −0.45), b = 0.9·(2, −0.5) + g = (3.4, −0.9)
        assertArrayEquals(new double[] {0.46, -0.36}, q.theta.value().toDoubleArray(), 1e-15);
    }

    @Test
    void sgdWithNesterovMomentumMatchesHandComputedSteps() {
        Quadratic q = new Quadratic();
        SGD sgd = new SGD(q.parameters(), 0.1, 0.9, true);
        step(q, sgd); // g = b = (2, −0.5); θ −= 0.1·(g + 0.9·b) = 0.1·(3.8, −0.95)
        assertArrayEquals(new double[] {0.62, -0.405}, q.theta.value().toDoubleArray(), 1e-15);
        step(q, sgd); // g = (1.24, −0.405), b = 0.9·(2, −0.5) + g = (3.04, −0.855); g + 0.9·b = (3.976, −1.1745)
        assertArrayEquals(new double[] {0.2224, -0.28755}, q.theta.value().toDoubleArray(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new SGD(q.parameters(), 0.1, 0, true),
                "Nesterov without momentum is refused");
        assertThrows(IllegalArgumentException.class, () -> new SGD(q.parameters(), 0.1, Double.NaN));
    }

    @Test
    void staleGradientsNameTheParameter() {
        Quadratic q = new Quadratic();
        Adam adam = new Adam(q.parameters(), 0.1);
        var g = Autodiff.grad(q.loss(), q.parameterValues());
        adam.step(g);
        var e = assertThrows(IllegalArgumentException.class, () -> adam.step(g));
        assertTrue(e.getMessage().contains("theta"), e.getMessage());
    }

    @Test
    void stateRoundTripsAndContinuesIdentically() {
        Quadratic a = new Quadratic();
        Adam adamA = new Adam(a.parameters(), 0.1);
        step(a, adamA);
        Map<String, Tensor> state = adamA.state();
        assertEquals(List.of("adam.t", "adam.m.theta", "adam.v.theta"), List.copyOf(state.keySet()));
        Quadratic b = new Quadratic();
        b.theta.set(a.theta.value());
        Adam adamB = new Adam(b.parameters(), 0.1);
        adamB.loadState(state);
        step(a, adamA);
        step(b, adamB);
        assertArrayEquals(a.theta.value().toDoubleArray(), b.theta.value().toDoubleArray(), 0);
    }

    @Test
    void updateWeightsSumsTheLossAndReturnsTheAuxiliaryOutput() {
        Quadratic q = new Quadratic();
        SGD sgd = new SGD(q.parameters(), 0.1, 0);
        Training.Step<String> s = Training.updateWeights(q, sgd, () -> {
            Tensor perExample = q.theta.value().square().mul(Tensor.vector(2, 1)).mul(0.5);
            return new Training.Loss<>(perExample, "aux");
        });
        assertEquals(1.0 + 0.125, s.loss().item(), 1e-15);
        assertEquals("aux", s.aux());
        assertArrayEquals(new double[] {0.8, -0.45}, q.theta.value().toDoubleArray(), 1e-15);
    }
}
