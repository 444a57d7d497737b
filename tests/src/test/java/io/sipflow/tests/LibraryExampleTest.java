package io.sipflow.tests;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Solve;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ShapeOps;
import io.sipflow.nn.Adam;
import io.sipflow.nn.Init;
import io.sipflow.nn.Module;
import io.sipflow.nn.Parameter;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TrainingStep;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** README.md's "Use sipflow as a library": a new 1-D problem defined in a few dozen lines and trained with SIP. */
class LibraryExampleTest {
    // --- README: the problem ---
    /** Recover a source x from y with y − y'' = x on n cells (zero outside): a 1-D screened Poisson problem. */
    record Screened1d(int n) implements Problem {
        /** A·v = v − v'' = 3v[i] − v[i−1] − v[i+1]: symmetric positive definite. */
        Tensor a(Tensor v) {
            Tensor p = ShapeOps.pad(v, new int[] {0, 1}, new int[] {0, 1}, Padding.ZERO);
            return v.mul(3).sub(p.slice(1, 0, n)).sub(p.slice(1, 2, n + 2));
        }

        public String id() { return "screened1d"; }

        public Batch sample(int size, SplittableRandom random) {
            Tensor x = Tensor.randn(random, size, n);
            return new Batch(x, Autodiff.noGrad(() -> physics(x)));
        }

        public Tensor physics(Tensor x) { return Solve.cg(this::a, x, 1e-10, 10 * n); }

        public Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget) { return x.add(a(yTarget.sub(y))); }

        public Module newNetwork(long seed) { return new DenseLayer(n, seed); }

        public Tensor predict(Module network, Tensor yTarget) { return network.forward(yTarget); }

        public LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch) {
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            m.put("x_l2", Problem.l2(batch.xGroundTruth().sub(x.stopGradient())));
            return m;
        }

        public LinkedHashMap<String, Object> settings() {
            LinkedHashMap<String, Object> s = new LinkedHashMap<>();
            s.put("n", n);
            return s;
        }
    }

    /** x = y·W: one dense layer, enough for a linear inverse. */
    static final class DenseLayer extends Module {
        private final Parameter w;

        DenseLayer(int n, long seed) {
            Tensor initial = Init.uniform(new SplittableRandom(seed), DType.FLOAT64, Shape.of(n, n), 1 / Math.sqrt(n));
            w = addParameter("w", initial);
        }

        @Override
        public Tensor forward(Tensor y) { return y.matmul(w.value()); }
    }
    // --- README: end of the problem ---

    @Test
    void sipTrainsTheNewProblemAndBeatsGradientDescent() {
        double sip = train(true);
        double gd = train(false);
        System.out.println("1-D screened Poisson, 200 steps, test x_l2: SIP " + sip + ", GD " + gd);
        assertTrue(sip < 0.1 * gd && sip < 1, "SIP " + sip + " GD " + gd);   // x = 0 would score n/2 = 16
    }

    private static double train(boolean sip) {
        // --- README: training ---
        Screened1d problem = new Screened1d(32);
        Module net = problem.newNetwork(0);
        Adam adam = new Adam(net.parameters(), 3e-2);
        SplittableRandom data = new SplittableRandom(1);
        for (int step = 0; step < 200; step++) {
            Problem.Batch b = problem.sample(16, data);
            if (!sip) {                                        // GD through the solve: the trainer's own step
                TrainingStep.run(problem, Method.GD, net, adam, b);
                continue;
            }
            Training.updateWeights(net, adam, () -> {
                Tensor pred = problem.predict(net, b.yTarget());
                Tensor x = pred.stopGradient();
                Tensor target = problem.sipTarget(x, problem.physics(x), b.yTarget());
                return Training.Loss.of(Problem.l2(pred.sub(target)));
            });
        }
        Problem.Batch test = problem.sample(64, new SplittableRandom(2));
        Tensor x = problem.predict(net, test.yTarget());
        double testL2 = problem.metrics(x, test).get("x_l2").mean().item();
        // --- README: end of training ---
        return testL2;
    }
}
