package io.sipflow.physics.train;

import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.Parameter;
import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Trainer#evaluate} recycles its activations when it ends (a {@code BufferScope.noGrad}): the test batch, the
 * network's parameters and the values of the training steps around it must keep their values, and repeated
 * evaluations, which reuse the arrays, must give the same metrics. Batch 8 at 32² so the activations come from the
 * pool.
 */
class EvaluationBuffersTest {
    @Test
    void evaluationsRecycleOnlyTheirOwnValues() {
        TrainConfig config = TrainConfig.builder().method(Method.SIP).resolution(32).build();
        HeatProblem heat = new HeatProblem(32);
        Module net = heat.newNetwork(3);
        Optimizer optimizer = TrainingStep.newOptimizer(config, net);
        SplittableRandom data = new SplittableRandom(5);
        Problem.Batch test = heat.sample(8, data);
        double[] yTarget = test.yTarget().toDoubleArray();
        double[] xGt = test.xGroundTruth().toDoubleArray();
        var step = TrainingStep.run(heat, Method.SIP, net, optimizer, heat.sample(8, data));
        double[] x = step.aux().x().toDoubleArray();
        TestMetrics first = Trainer.evaluate(heat, net, test, 1);
        List<float[]> params = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            params.add(p.value().toFloatArray());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(first, Trainer.evaluate(heat, net, test, 1), "evaluation " + i + " reused the arrays");
        }
        assertArrayEquals(yTarget, test.yTarget().toDoubleArray(), 0.0, "the test batch's observations");
        assertArrayEquals(xGt, test.xGroundTruth().toDoubleArray(), 0.0, "the test batch's ground truth");
        assertArrayEquals(x, step.aux().x().toDoubleArray(), 0.0, "the earlier step's prediction");
        for (int i = 0; i < params.size(); i++) {
            assertArrayEquals(params.get(i), net.parameters().get(i).value().toFloatArray(), "parameter " + i);
        }
        TrainingStep.run(heat, Method.SIP, net, optimizer, heat.sample(8, data)); // training goes on
        Trainer.evaluate(heat, net, test, 2);
    }
}
