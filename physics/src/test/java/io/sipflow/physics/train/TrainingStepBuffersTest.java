package io.sipflow.physics.train;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.Problem;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link TrainingStep#run} recycles its graph's arrays when it ends (a {@code BufferScope}): what it returns (the
 * loss, x and y) must keep its values while later steps reuse those arrays, for every method whose step frees its
 * graph. Batch 8 at 32² so the activations are large enough to come from the pool.
 */
class TrainingStepBuffersTest {
    /** The seed's heat problem at 32², a fresh network (seed 3) and the method's optimizer for it. */
    private record Run(HeatProblem heat, Module net, Optimizer optimizer, Method method) {
        static Run of(Method method) {
            HeatProblem heat = new HeatProblem(32);
            Module net = heat.newNetwork(3);
            TrainConfig config = TrainConfig.builder().method(method).resolution(32).build();
            return new Run(heat, net, TrainingStep.newOptimizer(config, net), method);
        }

        Training.Step<TrainingStep.Outputs> step(Problem.Batch batch) {
            return TrainingStep.run(heat, method, net, optimizer, batch);
        }
    }

    @Test
    void aStepsOutputsSurviveLaterSteps() {
        for (Method method : new Method[] {Method.SIP, Method.GD}) {
            Run run = Run.of(method);
            SplittableRandom data = new SplittableRandom(5);
            Training.Step<TrainingStep.Outputs> first = run.step(run.heat().sample(8, data));
            double[] x = first.aux().x().toDoubleArray();
            double[] y = first.aux().y().toDoubleArray();
            double loss = first.loss().item();
            for (int s = 0; s < 3; s++) {
                run.step(run.heat().sample(8, data));
            }
            assertArrayEquals(x, first.aux().x().toDoubleArray(), 0.0, method + ": x");
            assertArrayEquals(y, first.aux().y().toDoubleArray(), 0.0, method + ": y");
            assertArrayEquals(new double[] {loss}, new double[] {first.loss().item()}, 0.0, method + ": loss");
        }
    }

    /**
     * After the first steps, a step's only new pool-sized arrays are the two it returns, x and y, which the caller
     * keeps: every activation, adjoint, temporary, pooling argmax and the network input's FLOAT32 copy reuses an
     * array an earlier step gave back (the probe for non-finite values makes none).
     */
    @Test
    void aWarmStepMakesNewArraysOnlyForWhatItReturns() {
        for (Method method : new Method[] {Method.SIP, Method.GD}) {
            Run run = Run.of(method);
            Problem.Batch batch = run.heat().sample(8, new SplittableRandom(6));
            for (int s = 0; s < 6; s++) {
                BufferPool.Counts before = BufferPool.counts();
                run.step(batch);
                if (s >= 2) {
                    assertEquals(2, BufferPool.counts().allocatedSince(before), method + ", step " + s
                            + ": new arrays besides x and y");
                }
            }
        }
    }
}
