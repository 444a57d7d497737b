package io.sipflow.physics.train;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.UNet;
import io.sipflow.physics.HeatExamples;

import java.util.SplittableRandom;

/**
 * How much memory a training step of {@link Trainer} needs, so a launcher can size the Java heap to the run
 * instead of letting the JVM grow it toward a quarter of the machine.
 *
 * <p>The graph of one step is recorded once on a 2×8×8 batch and every non-parameter tensor in it is counted; all
 * of them scale with batch·R² (the U-Net's levels halve R, its channels do not depend on R), so
 * <pre>
 *   activations(B, R) = bytes(graph at 2×8×8) · B·R² / 128
 *   heap(config)      = max(MIN, FIXED + SLACK · activations(max(B, test batch), R))
 * </pre>
 * FIXED covers the JVM's own objects, the weights, Adam's moments and the data batches; SLACK covers the backward
 * pass's temporaries and G1's humongous-region rounding. Both were calibrated in BENCHMARKS.md (smallest heap
 * that ran the seed preset, plus margin).
 */
public final class TrainingMemory {
    /** Java heap that does not scale with the batch: JVM, classes, network, optimizer, plots. */
    public static final long FIXED_BYTES = 160L << 20;
    /** The least heap planned: small runs still render plots and evaluate a test batch. */
    public static final long MIN_BYTES = 512L << 20;
    /** Heap per byte of recorded activations. */
    public static final double SLACK = 1.45;
    /** The smallest batch and grid the U-Net trains on: batch norm needs two values per channel at the 1×1 level. */
    private static final int PROBE_BATCH = 2;
    private static final int PROBE_RESOLUTION = 8;

    private TrainingMemory() {
    }

    /** Bytes of the tensors one training step records (everything but the parameters) at batch B, R×R. */
    public static long activationBytes(Method method, int batch, int resolution) {
        double perPixel = probeBytes(method) / (double) (PROBE_BATCH * PROBE_RESOLUTION * PROBE_RESOLUTION);
        return (long) Math.ceil(perPixel * batch * (double) resolution * resolution);
    }

    /** The Java heap a run of {@code config} needs: FIXED + SLACK · activations of the larger of its two batches. */
    public static long heapBytes(TrainConfig config) {
        int batch = Math.max(config.batch(), config.testBatch());
        long planned = FIXED_BYTES + (long) Math.ceil(SLACK * activationBytes(config.method(), batch, config.resolution()));
        return Math.max(MIN_BYTES, planned);
    }

    /** Records one step's graph on a 2×8×8 batch and adds up its tensors' sizes. */
    private static long probeBytes(Method method) {
        UNet net = Trainer.newNetwork(0);
        Tensor xGt = HeatExamples.generate(PROBE_BATCH, PROBE_RESOLUTION, PROBE_RESOLUTION, new SplittableRandom(0));
        Tensor yTarget = HeatTraining.observe(xGt);
        Tensor prediction = HeatTraining.predict(net::forward, yTarget);
        Tensor loss = HeatTraining.loss(method, prediction, yTarget, xGt).loss();
        long bytes = 0;
        for (Tensor t : Graph.topologicalOrder(loss)) {
            if (t.node() != null) { // parameters are leaves and do not scale with the batch
                bytes += (long) t.size() * (t.dtype() == DType.FLOAT32 ? Float.BYTES : Double.BYTES);
            }
        }
        return bytes;
    }
}
