package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.nn.AdaHessian;
import io.sipflow.nn.HessianFree;
import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.physics.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AdaHessian and Hessian-free train the grid problems from the first step; the sin problem is refused. */
class SecondOrderMethodTest {
    /** GD's loss on {@code batch} with the network as it is, without a graph. */
    private static double gdLoss(Problem problem, Module net, Problem.Batch batch) {
        return Autodiff.noGrad(() -> Method.GD.loss(new Method.Input(problem, net, batch)).value().item());
    }

    /** Trains {@code steps} steps on one fixed batch and returns the loss before each step and after the last. */
    private static List<Double> train(String problemId, Method method, double lr, int steps) {
        TrainConfig config = Problems.withSuggestions(TrainConfig.builder().problem(problemId).method(method),
                java.util.Map.of()).batch(4).resolution(8).testBatch(4).learningRate(lr).build();
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(1);
        Problem.Batch batch = problem.sample(4, new SplittableRandom(2));
        Optimizer opt = method.newOptimizer(config, net);
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            double reported = method.update(new Method.Input(problem, net, batch), opt).loss().item();
            losses.add(reported);
        }
        losses.add(gdLoss(problem, net, batch));
        return losses;
    }

    private static void assertTrains(List<Double> losses, double factor, String what) {
        double first = losses.get(0);
        assertTrue(losses.get(1) < first, what + ": the first step lowers the loss: " + losses);
        double last = losses.get(losses.size() - 1);
        assertTrue(last < factor * first, what + ": the loss ends below " + factor + " of its start: " + losses);
    }

    @Test
    void adaHessianTrainsPoissonAndHeat() {
        assertTrains(train("poisson", Method.ADAHESSIAN, 1e-3, 8), 0.9, "adahessian poisson");
        assertTrains(train("heat", Method.ADAHESSIAN, 1e-3, 8), 0.9, "adahessian heat");
    }

    @Test
    void hessianFreeTrainsPoissonAndHeat() {
        assertTrains(train("poisson", Method.HESSIAN_FREE, 1e-3, 4), 0.9, "hessian-free poisson");
        assertTrains(train("heat", Method.HESSIAN_FREE, 1e-3, 4), 0.9, "hessian-free heat");
    }

    @Test
    void theReportedLossIsGdsBeforeTheUpdate() {
        for (Method m : new Method[] {Method.ADAHESSIAN, Method.HESSIAN_FREE}) {
            TrainConfig config = TrainConfig.builder().problem("poisson").method(m).batch(4).resolution(8)
                    .testBatch(4).build();
            Problem problem = Problems.create(config);
            Problem.Batch batch = problem.sample(4, new SplittableRandom(5));
            double expected = gdLoss(problem, problem.newNetwork(2), batch);
            Module net = problem.newNetwork(2);
            double reported = m.update(new Method.Input(problem, net, batch), m.newOptimizer(config, net)).loss().item();
            assertEquals(expected, reported, 1e-12 * expected, m.id());
        }
    }

    @Test
    void optimizersIdsAndSuggestions() {
        TrainConfig config = TrainConfig.builder().problem("heat").resolution(8).build();
        Module net = Problems.create(config).newNetwork(0);
        assertInstanceOf(AdaHessian.class, Method.ADAHESSIAN.newOptimizer(config, net));
        assertInstanceOf(HessianFree.class, Method.HESSIAN_FREE.newOptimizer(config, net));
        assertEquals("hessian-free", Method.HESSIAN_FREE.id());
        assertEquals(Method.HESSIAN_FREE, Method.parse("Hessian-Free"));
        assertEquals(Method.ADAHESSIAN, Method.parse("adahessian"));
        // the authors' learning rate unless the user gives another
        TrainConfig ada = Problems.withSuggestions(TrainConfig.builder().problem("heat").method(Method.ADAHESSIAN),
                java.util.Map.of()).build();
        assertEquals(0.15, ada.learningRate());
    }

    @Test
    void theSinProblemIsRefusedNamingItsOp() {
        TrainConfig config = Problems.withSuggestions(TrainConfig.builder().problem("sin")
                .method(Method.HESSIAN_FREE), java.util.Map.of()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingStep.requireFeasible(config));
        assertTrue(e.getMessage().contains("hessian-free") && e.getMessage().contains("'sin'"), e.getMessage());
    }

    @Test
    void theHyperParametersAreRunSettings() {
        TrainConfig c = TrainConfig.builder().problem("heat").resolution(8).learningRate(0.01)
                .set(Settings.ADAHESSIAN_BETA1, 0.8).set(Settings.ADAHESSIAN_BETA2, 0.99)
                .set(Settings.ADAHESSIAN_EPSILON, 1e-6).set(Settings.HESSIAN_POWER, 0.5)
                .set(Settings.WEIGHT_DECAY, 1e-4).set(Settings.HF_DAMPING, 3.0).set(Settings.HF_CG_ITERATIONS, 4)
                .set(Settings.HF_CG_TOLERANCE, 1e-3).set(Settings.HF_FIXED_DAMPING, true).build();
        Module net = Problems.create(c).newNetwork(0);
        AdaHessian ada = (AdaHessian) Method.ADAHESSIAN.newOptimizer(c, net);
        assertEquals(new AdaHessian.Settings(0.01, 0.8, 0.99, 1e-6, 0.5, 1e-4), ada.settings());
        HessianFree hf = (HessianFree) Method.HESSIAN_FREE.newOptimizer(c, net);
        assertEquals(new HessianFree.Settings(3, 4, 1e-3, false), hf.settings());
        // defaults: the authors' (AdaHessian) and damping 1, 10 CG iterations, Levenberg-Marquardt on (HF)
        TrainConfig d = TrainConfig.builder().problem("heat").resolution(8).learningRate(0.15).build();
        assertEquals(AdaHessian.Settings.DEFAULTS, ((AdaHessian) Method.ADAHESSIAN.newOptimizer(d, net)).settings());
        assertEquals(HessianFree.Settings.DEFAULTS,
                ((HessianFree) Method.HESSIAN_FREE.newOptimizer(d, net)).settings());
        // off their defaults they are recorded in run.json, at their defaults they are not
        assertTrue(c.settings().containsKey("hf_cg_iterations") && !d.settings().containsKey("hf_cg_iterations"));
    }
}
