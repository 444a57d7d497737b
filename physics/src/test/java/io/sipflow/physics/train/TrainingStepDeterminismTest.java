package io.sipflow.physics.train;

import io.sipflow.autodiff.backend.Parallel;
import io.sipflow.nn.Module;
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
 * One SIP training step of the seed's U-Net gives bit-identical weights with 1 and 2 worker threads: every kernel
 * sums in an order fixed by the shapes (PyTorch's 2-thread runs drift by 1e-2 within 20 steps). Batch 8 at 32×32
 * so the kernels split their work into several chunks.
 */
class TrainingStepDeterminismTest {
    @Test
    void sipStepIsBitIdenticalAtOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            List<double[]> one = weightsAfterOneStep();
            Parallel.setThreads(2);
            List<double[]> two = weightsAfterOneStep();
            assertEquals(one.size(), two.size());
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), two.get(i), 0.0, "parameter " + i + " differs between 1 and 2 threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static List<double[]> weightsAfterOneStep() {
        TrainConfig config = TrainConfig.builder().resolution(32).build();
        HeatProblem heat = new HeatProblem(32);
        Module net = heat.newNetwork(3);
        Problem.Batch batch = heat.sample(8, new SplittableRandom(11));
        TrainingStep.run(heat, Method.SIP, net, TrainingStep.newOptimizer(config, net), batch);
        List<double[]> weights = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            weights.add(p.value().toDoubleArray());
        }
        return weights;
    }
}
