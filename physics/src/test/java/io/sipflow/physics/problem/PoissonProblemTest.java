package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Adam;
import io.sipflow.nn.Module;
import io.sipflow.nn.Training;
import io.sipflow.physics.Fft2;
import io.sipflow.physics.Laplace;
import io.sipflow.physics.Noise;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Poisson problem: its stencil, its data, its exact SIP inverse, and SIP learning faster than GD. */
class PoissonProblemTest {
    @Test
    void laplaceIsTheFivePointStencilWithZerosOutside() {
        Tensor u = Tensor.of(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        // (0,0): 2 + 4 − 4·1 = 2;  (1,0): 1 + 5 − 4·4 = −10;  (1,1): 2 + 4 + 6 − 4·5 = −8
        assertArrayEquals(new double[] {2, 1, -4, -10, -8, -16}, Laplace.apply(u).toDoubleArray(), 0);
    }

    @Test
    void laplaceGradientIsTheSameStencil() {
        GradCheck.check("laplace", in -> Laplace.apply(in[0]), Tensor.randn(new SplittableRandom(1), 2, 5, 4))
                .assertPassed();
    }

    @Test
    void solveInvertsTheLaplacianToItsTolerance() {
        Tensor x = Noise.sample(4, 16, 16, new SplittableRandom(2));
        Tensor back = Laplace.apply(Laplace.solve(x));
        double rel = Math.sqrt(back.sub(x).square().sum().item() / x.square().sum().item());
        assertTrue(rel <= Laplace.TOLERANCE, "‖∇²y − x‖/‖x‖ = " + rel);
        Tensor single = Laplace.solve(x.slice(0, 0, 1).reshape(16, 16));
        assertEquals(Shape.of(16, 16), single.shape());
    }

    @Test
    void noiseFieldsHaveMeanZeroStdOneAndNoLowestModes() {
        Tensor x = Noise.sample(3, 32, 32, new SplittableRandom(3));
        double[] v = x.toDoubleArray();
        int n = 32 * 32;
        Fft2 fft = new Fft2(32, 32);
        for (int e = 0; e < 3; e++) {
            double mean = 0;
            double sq = 0;
            for (int k = e * n; k < (e + 1) * n; k++) {
                mean += v[k];
                sq += v[k] * v[k];
            }
            assertEquals(0, mean / n, 1e-12);
            assertEquals(1, sq / n, 1e-12);
            double[] spectrum = fft.forward(v, e * n);
            // κ² = 10²·|m/32|² ≤ 0.1 for m = (0,0), (±1,0), (0,±1): those modes are cut.
            for (int[] m : new int[][] {{0, 0}, {1, 0}, {31, 0}, {0, 1}, {0, 31}}) {
                int k = m[0] * 32 + m[1];
                assertEquals(0, Math.hypot(spectrum[2 * k], spectrum[2 * k + 1]), 1e-9, "mode " + m[0] + "," + m[1]);
            }
            int k11 = 32 + 1; // κ² = 0.195 > 0.1: kept, and the largest weight
            assertTrue(Math.hypot(spectrum[2 * k11], spectrum[2 * k11 + 1]) > 1e-3);
        }
    }

    @Test
    void sipTargetOfTheTrueObservationIsTheGroundTruth() {
        PoissonProblem problem = new PoissonProblem(16);
        Problem.Batch batch = problem.sample(2, new SplittableRandom(4));
        Tensor x = Noise.sample(2, 16, 16, new SplittableRandom(5));
        Tensor target = problem.sipTarget(x, problem.physics(x), batch.yTarget());
        double rel = Math.sqrt(target.sub(batch.xGroundTruth()).square().sum().item()
                / batch.xGroundTruth().square().sum().item());
        assertTrue(rel < 1e-4, "relative error " + rel);
        assertEquals(List.of("x_l2", "x_l1", "y_l2"), List.copyOf(problem.metrics(x, batch).keySet()));
        assertEquals(0, problem.metrics(batch.xGroundTruth(), batch).get("x_l2").max().item(), 0);
    }

    @Test
    void skipDrawsWhatSampleDraws() {
        PoissonProblem problem = new PoissonProblem(16);
        SplittableRandom a = new SplittableRandom(10);
        SplittableRandom b = new SplittableRandom(10);
        problem.sample(3, a);
        problem.skip(3, b);
        assertEquals(a.nextLong(), b.nextLong());
    }

    @Test
    void predictionIsFloat64FromAFloat32Network() {
        PoissonProblem problem = new PoissonProblem(16);
        Module net = problem.newNetwork(0);
        Tensor pred = problem.predict(net, problem.sample(2, new SplittableRandom(6)).yTarget());
        assertEquals(Shape.of(2, 16, 16), pred.shape());
        assertEquals(DType.FLOAT64, pred.dtype());
        assertEquals(DType.FLOAT32, net.parameterValues().get(0).dtype());
    }

    /**
     * Same initial weights, same batches: after a few Adam steps the SIP-trained network is closer to x_gt than the
     * GD-trained one (the paper's Fig. 6a in miniature). GD sees x only through (∇²)⁻¹, which damps high
     * frequencies by up to ~1/8 relative to the lowest; SIP's target applies ∇² and undoes that.
     */
    @Test
    void sipLearnsFasterThanGradientDescentThroughTheSolve() {
        PoissonProblem problem = new PoissonProblem(16);
        double sip = train(problem, true);
        double gd = train(problem, false);
        System.out.println("Poisson 16x16, 20 steps, test x_l2: SIP " + sip + ", GD " + gd);
        assertTrue(sip < gd, "test x_l2: SIP " + sip + ", GD " + gd);
    }

    private static double train(PoissonProblem problem, boolean sip) {
        Module net = problem.newNetwork(7);
        Adam adam = new Adam(net.parameters(), 1e-3);
        SplittableRandom data = new SplittableRandom(8);
        for (int step = 0; step < 20; step++) {
            Problem.Batch batch = problem.sample(8, data);
            Training.updateWeights(net, adam, () -> {
                Tensor pred = problem.predict(net, batch.yTarget());
                if (sip) {
                    Tensor x = pred.stopGradient();
                    return Training.Loss.of(Problem.l2(pred.sub(problem.sipTarget(x, problem.physics(x), batch.yTarget()))));
                }
                return Training.Loss.of(Problem.l2(problem.physics(pred).sub(batch.yTarget())));
            });
        }
        Problem.Batch test = problem.sample(16, new SplittableRandom(9));
        Tensor pred = Autodiff.noGrad(() -> problem.predict(net, test.yTarget()));
        return problem.metrics(pred, test).get("x_l2").mean().item();
    }
}
