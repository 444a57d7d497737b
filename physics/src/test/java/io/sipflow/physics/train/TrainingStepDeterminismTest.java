package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Parallel;
import io.sipflow.nn.Adam;
import io.sipflow.nn.Parameter;
import io.sipflow.nn.UNet;
import io.sipflow.physics.HeatExamples;
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
        UNet net = new UNet(Trainer.UNET, 3);
        Adam adam = new Adam(net.parameters(), 1e-3);
        Tensor xGt = HeatExamples.generate(8, 32, 32, new SplittableRandom(11));
        Tensor yTarget = HeatTraining.observe(xGt);
        Tensor prediction = HeatTraining.predict(net::forward, yTarget);
        HeatTraining.StepResult r = HeatTraining.sip(prediction, yTarget, xGt);
        Gradients g = Autodiff.grad(r.loss(), net.parameterValues(), Autodiff.Disconnected.ZERO);
        adam.step(g);
        List<double[]> weights = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            weights.add(p.value().toDoubleArray());
        }
        return weights;
    }
}
