package io.sipflow.physics.train;

import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link TrainingStep#run} recycles its graph's arrays when it ends (a {@code BufferScope}): what it returns (the
 * loss, x and y) must keep its values while later steps reuse those arrays, for every method whose step frees its
 * graph. Batch 8 at 32² so the activations are large enough to come from the pool.
 */
class TrainingStepBuffersTest {
    @Test
    void aStepsOutputsSurviveLaterSteps() {
        for (Method method : new Method[] {Method.SIP, Method.GD}) {
            TrainConfig config = TrainConfig.builder().method(method).resolution(32).build();
            HeatProblem heat = new HeatProblem(32);
            Module net = heat.newNetwork(3);
            Optimizer optimizer = TrainingStep.newOptimizer(config, net);
            SplittableRandom data = new SplittableRandom(5);
            Training.Step<TrainingStep.Outputs> first = TrainingStep.run(heat, method, net, optimizer,
                    heat.sample(8, data));
            double[] x = first.aux().x().toDoubleArray();
            double[] y = first.aux().y().toDoubleArray();
            double loss = first.loss().item();
            for (int s = 0; s < 3; s++) {
                Problem.Batch batch = heat.sample(8, data);
                TrainingStep.run(heat, method, net, optimizer, batch);
            }
            assertArrayEquals(x, first.aux().x().toDoubleArray(), 0.0, method + ": x");
            assertArrayEquals(y, first.aux().y().toDoubleArray(), 0.0, method + ": y");
            assertArrayEquals(new double[] {loss}, new double[] {first.loss().item()}, 0.0, method + ": loss");
        }
    }
}
