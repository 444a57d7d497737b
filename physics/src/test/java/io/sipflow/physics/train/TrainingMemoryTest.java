package io.sipflow.physics.train;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.UNet;
import io.sipflow.physics.HeatExamples;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap plan's model: activations scale with batch·R², and the seed preset's plan fits the 1 GiB target. */
class TrainingMemoryTest {
    @Test
    void theScaledEstimateMatchesAGraphRecordedAtAnotherSize() {
        for (Method method : Method.values()) {
            long recorded = recordedBytes(method, 3, 24);
            long estimated = TrainingMemory.activationBytes(method, 3, 24);
            assertEquals(recorded, estimated, 0.01 * recorded,
                    method + ": recorded " + recorded + " bytes at 3×24×24, estimated " + estimated);
        }
    }

    @Test
    void theSeedPresetsHeapLeavesRoomForTheJvmUnderOneGibibyte() {
        long heap = TrainingMemory.heapBytes(TrainConfig.seedPreset(Method.SIP));
        // The JVM's own memory (code, metaspace, GC tables, threads) came to about 145 MB on top of the heap.
        assertTrue(heap <= 900L << 20, "seed preset plans " + (heap >> 20) + " MB of heap");
        assertTrue(heap >= TrainingMemory.activationBytes(Method.SIP, 128, 64), "less heap than the recorded graph");
    }

    @Test
    void smallRunsGetTheFloorAndTheLargerBatchCounts() {
        TrainConfig tiny = new TrainConfig(Method.SIP, 1, 2, 8, 0, 1e-3, 2, 1, 1);
        assertEquals(TrainingMemory.MIN_BYTES, TrainingMemory.heapBytes(tiny));
        TrainConfig bigTest = new TrainConfig(Method.SIP, 1, 8, 64, 0, 1e-3, 512, 1, 1);
        TrainConfig bigTrain = new TrainConfig(Method.SIP, 1, 512, 64, 0, 1e-3, 8, 1, 1);
        assertEquals(TrainingMemory.heapBytes(bigTrain), TrainingMemory.heapBytes(bigTest));
    }

    /** Bytes of every non-leaf tensor of one step's graph, recorded for real at batch b, r×r. */
    private static long recordedBytes(Method method, int b, int r) {
        UNet net = Trainer.newNetwork(3);
        Tensor xGt = HeatExamples.generate(b, r, r, new SplittableRandom(5));
        Tensor y = HeatTraining.observe(xGt);
        Tensor loss = HeatTraining.loss(method, HeatTraining.predict(net::forward, y), y, xGt).loss();
        long bytes = 0;
        for (Tensor t : Graph.topologicalOrder(loss)) {
            if (t.node() != null) {
                bytes += (long) t.size() * (t.dtype() == DType.FLOAT32 ? 4 : 8);
            }
        }
        return bytes;
    }
}
