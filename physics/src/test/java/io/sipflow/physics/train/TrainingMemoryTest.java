package io.sipflow.physics.train;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.HeatProblem;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap plan's model: activations scale with batch·R², and the seed preset's plan fits the 1 GiB target. */
class TrainingMemoryTest {
    @Test
    void theScaledEstimateMatchesAGraphRecordedAtAnotherSize() {
        for (Method method : new Method[] {Method.SIP, Method.GD, Method.SGD}) {
            long recorded = recordedBytes(method, 3, 24);
            long estimated = TrainingMemory.activationBytes(TrainConfig.builder().method(method).resolution(24).build(), 3);
            assertEquals(recorded, estimated, 0.01 * recorded,
                    method + ": recorded " + recorded + " bytes at 3×24×24, estimated " + estimated);
        }
    }

    @Test
    void theSeedPresetsHeapLeavesRoomForTheJvmUnderOneGibibyte() {
        long heap = TrainingMemory.heapBytes(TrainConfig.seedPreset().build());
        // The JVM's own memory (code, metaspace, GC tables, threads) came to about 145 MB on top of the heap.
        assertTrue(heap <= 900L << 20, "seed preset plans " + (heap >> 20) + " MB of heap");
        assertTrue(heap >= TrainingMemory.activationBytes(TrainConfig.seedPreset().build(), 128), "less heap than the recorded graph");
    }

    @Test
    void smallRunsGetTheFloorAndTheLargerBatchCounts() {
        TrainConfig tiny = TrainConfig.builder().steps(1).batch(2).resolution(8).testBatch(2).build();
        assertEquals(TrainingMemory.MIN_BYTES, TrainingMemory.heapBytes(tiny));
        TrainConfig bigTest = TrainConfig.builder().batch(8).resolution(64).testBatch(512).build();
        TrainConfig bigTrain = TrainConfig.builder().batch(512).resolution(64).testBatch(8).build();
        assertEquals(TrainingMemory.heapBytes(bigTrain), TrainingMemory.heapBytes(bigTest));
    }

    /** Bytes of every non-leaf tensor of one step's graph, recorded for real at batch b, r×r. */
    private static long recordedBytes(Method method, int b, int r) {
        HeatProblem heat = new HeatProblem(r);
        Module net = heat.newNetwork(3);
        Tensor loss = TrainingStep.loss(heat, method, net, heat.sample(b, new SplittableRandom(5))).value();
        long bytes = 0;
        for (Tensor t : Graph.topologicalOrder(loss)) {
            if (t.node() != null) {
                bytes += (long) t.size() * (t.dtype() == DType.FLOAT32 ? 4 : 8);
            }
        }
        return bytes;
    }
}
