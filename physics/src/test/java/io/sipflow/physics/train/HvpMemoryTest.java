package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.HeatProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HVP heap estimate: the fitted graph size matches a graph recorded at another size, and what it plans. */
class HvpMemoryTest {
    @Test
    void theFittedHvpGraphMatchesOneRecordedAtAnotherSize() {
        for (Method method : new Method[] {Method.SIP, Method.GD}) {
            long recorded = recordedHvpBytes(method, 3, 24);
            long estimated = TrainingMemory.hvpGraphBytes(TrainConfig.builder().method(method).resolution(24).build(), 3);
            assertEquals(recorded, estimated, 0.01 * recorded,
                    method + ": recorded " + recorded + " bytes at 3×24×24, estimated " + estimated);
        }
    }

    @Test
    void anHvpPlansMoreThanTwiceAStepsGraphAndHeap() {
        TrainConfig seed = TrainConfig.seedPreset().build();
        long hvpGraph = TrainingMemory.hvpGraphBytes(seed, seed.batch());
        long stepGraph = TrainingMemory.activationBytes(seed, seed.batch());
        assertTrue(hvpGraph > 2 * stepGraph, "the forward graph plus every recorded gradient: " + (hvpGraph >> 20)
                + " MB against a step's " + (stepGraph >> 20) + " MB");
        assertEquals(TrainingMemory.FIXED_BYTES + Math.ceil(TrainingMemory.HVP_SLACK * hvpGraph),
                TrainingMemory.hvpHeapBytes(seed), 1.0);
    }

    /** Bytes of the forward and recorded backward graph an HVP of one step differentiates, recorded for real. */
    private static long recordedHvpBytes(Method method, int b, int r) {
        HeatProblem heat = new HeatProblem(r);
        Module net = heat.newNetwork(3);
        Tensor loss = TrainingStep.loss(heat, method, net, heat.sample(b, new SplittableRandom(5))).value();
        List<Tensor> g = Autodiff.grad(loss, net.parameterValues(), Autodiff.Differentiable.YES).asList();
        Tensor gv = g.get(0).sum();
        for (int i = 1; i < g.size(); i++) {
            gv = gv.add(g.get(i).sum());
        }
        long bytes = 0;
        for (Tensor t : Graph.topologicalOrder(gv)) {
            if (t.node() != null) {
                bytes += (long) t.size() * (t.dtype() == DType.FLOAT32 ? 4 : 8);
            }
        }
        return bytes;
    }
}
