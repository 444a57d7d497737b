package io.sipflow.tests;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Activation;
import io.sipflow.nn.Adam;
import io.sipflow.nn.Norm;
import io.sipflow.nn.Training;
import io.sipflow.nn.UNet;
import io.sipflow.physics.Diffuse;
import io.sipflow.physics.HeatExamples;
import io.sipflow.physics.InverseDiffuse;
import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of README.md's walkthrough, step by step, so the README cannot drift from the library. */
class WalkthroughTest {
    @Test
    void step1GradientsAreReturnedNotStored() {
        Tensor w = Tensor.vector(1, -2, 3).variable();
        Tensor loss = w.square().sum();
        Tensor dw = Autodiff.grad(loss, w).get(w);
        assertArrayEquals(new double[] {2, -4, 6}, dw.toDoubleArray(), 0);
    }

    @Test
    void step2CheckYourOwnOp() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 3, 4);
        GradCheck.check("softplus", in -> in[0].exp().add(1).log(), x).assertPassed();
    }

    @Test
    void step3PhysicsForwardAndInverse() {
        Tensor x = HeatExamples.generate(4, 64, 64, new SplittableRandom(0));   // (4, 64, 64) float64
        Tensor y = Diffuse.fourier(x, 8, 1);                                    // blurred observation
        Tensor dx = InverseDiffuse.fourier(y, 8, y.abs().mul(1e-6)).correction();
        assertEquals(x.mean().item(), y.mean().item(), 1e-9, "diffusion keeps the mean");
        double blurError = Problem.l2(x.sub(y)).mean().item();
        double inverseError = Problem.l2(x.sub(dx)).mean().item();
        assertTrue(inverseError < 0.5 * blurError, "the damped inverse undoes much of the blur: "
                + inverseError + " vs " + blurError);
    }

    @Test
    void step4TheSipStep() {
        UNet net;
        try (Precision p = Precision.use(DType.FLOAT32)) {   // the network lives in 32-bit, as in the seed
            net = new UNet(new UNet.Config(1, 1, 4, 16, Norm.BATCH, Activation.RELU, Padding.CIRCULAR), 0);
        }
        Adam adam = new Adam(net.parameters(), 1e-3);
        SplittableRandom data = new SplittableRandom(42);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 30; step++) {
            Tensor xGt = HeatExamples.generate(8, 16, 16, data);
            Tensor yTarget = Diffuse.fourier(xGt, 8, 1);
            var result = Training.updateWeights(net, adam, () -> {
                Tensor pred = new HeatProblem(16).predict(net, yTarget);   // float32 U-Net, mean-corrected, float64
                Tensor x = pred.stopGradient();
                Tensor y = Diffuse.fourier(x, 8, 1);
                Tensor dx = InverseDiffuse.fourier(yTarget.sub(y), 8, yTarget.sub(y).abs().mul(1e-6)).correction();
                return new Training.Loss<>(Problem.l2(pred.sub(x.add(dx))), Problem.l2(xGt.sub(x)));
            });
            double xL2 = result.aux().mean().item();
            first = step == 0 ? xL2 : first;
            last = xL2;
        }
        assertEquals(DType.FLOAT32, net.parameters().get(0).value().dtype());
        assertTrue(last < first, "x_l2 falls under SIP training: " + first + " -> " + last);
    }

    @Test
    void step5SeeTheGraph() {
        Tensor x = Tensor.vector(1, 2).variable();
        String dot = Graph.toDot(x.mul(x.stopGradient()).sum());
        assertTrue(dot.contains("stopGradient"), dot);
    }
}
