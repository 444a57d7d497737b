package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.Problem;

import java.util.SplittableRandom;

/**
 * How much memory a training step of {@link Trainer} needs (and whether it can fit at all), so a launcher can size the Java heap to the run
 * instead of letting the JVM grow it toward a quarter of the machine.
 *
 * <p>The graph of one step is recorded once on a 2×8×8 batch and every non-parameter tensor in it is counted; all
 * of them scale with batch·R² (the U-Net's levels halve R, its channels do not depend on R), so
 * <pre>
 *   activations(B, R) = bytes(graph at 2×8×8) · B·R² / 128
 *   heap(config)      = max(MIN, FIXED + SLACK · activations(max(B, test batch), R))
 * </pre>
 * A problem without a grid ({@link ProblemProvider#usesResolution()} false) scales with B alone. A method that
 * differentiates twice ({@link Method#secondOrder()}) is planned by {@link #hvpHeapBytes} instead when that is larger.
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
    /**
     * Heap per byte of an HVP's recorded graphs. The second backward pass holds, beside both graphs, the adjoints of
     * the forward activations until it reaches them and batch norm's second-order temporaries of one layer: the
     * smallest heap that ran one HVP of the seed preset's SIP step at 64×64, batch 128 (graphs 903 MB) was 1300 MB,
     * i.e. FIXED + 1.26 per byte; 1.5 leaves the margin the step plan's {@link #SLACK} leaves.
     */
    public static final double HVP_SLACK = 1.5;
    /** The smallest batch and grid the U-Net trains on: batch norm needs two values per channel at the 1×1 level. */
    private static final int PROBE_BATCH = 2;
    private static final int PROBE_RESOLUTION = 8;

    private TrainingMemory() {
    }

    /**
     * Bytes of the tensors one training step records (everything but the parameters) at batch B, R×R.
     *
     * @param config the run (problem, method, resolution R)
     * @param batch B
     * @return activations(B, R) of the class comment, saturating at {@link Long#MAX_VALUE}
     */
    public static long activationBytes(TrainConfig config, int batch) {
        double perExample = probeBytes(config) / (double) PROBE_BATCH;
        return saturate(Math.ceil(perExample * batch * gridScale(config)));
    }

    /** How much larger an example is than at the probe's 8×8 grid: (R/8)² on a grid, 1 for other problems. */
    private static double gridScale(TrainConfig config) {
        double r = Problems.usesResolution(config.problem()) ? config.resolution() : PROBE_RESOLUTION;
        return r * r / (PROBE_RESOLUTION * PROBE_RESOLUTION);
    }

    /**
     * The Java heap a run of {@code config} needs: FIXED + SLACK · activations of the larger of its two batches, or
     * for a method that differentiates twice ({@link Method#secondOrder()}) the larger of that and
     * {@link #hvpHeapBytes}. Never overflows: sizes beyond what a long holds come out as {@link Long#MAX_VALUE}.
     *
     * @param config the run
     * @return the heap in bytes, at least {@link #MIN_BYTES}
     */
    public static long heapBytes(TrainConfig config) {
        int batch = Math.max(config.batch(), config.testBatch());
        double planned = FIXED_BYTES + Math.ceil(SLACK * activationBytes(config, batch));
        long step = Math.max(MIN_BYTES, saturate(planned));
        return config.method().secondOrder() ? Math.max(step, hvpHeapBytes(config)) : step;
    }

    /**
     * Throws, in one line, when a run of {@code config} cannot work on this machine: a tensor of the U-Net's first
     * level (batch × 16 channels × R × R) beyond 2³¹ − 1 elements, or a heap estimate beyond the machine's memory.
     *
     * @param config the run
     * @param machineBytes the machine's memory in bytes, or 0 if unknown (then only the tensor size is checked)
     * @throws IllegalArgumentException if the run cannot fit, saying which option to reduce
     */
    public static void checkFits(TrainConfig config, long machineBytes) {
        double widest = (double) Math.max(config.batch(), config.testBatch()) * 16 * config.resolution()
                * config.resolution();
        if (Problems.usesResolution(config.problem()) && widest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "batch %d at %dx%d needs tensors of"
                    + " %.3g elements, beyond the 2^31 - 1 a tensor holds; use a smaller --batch or --resolution",
                    Math.max(config.batch(), config.testBatch()), config.resolution(), config.resolution(), widest));
        }
        long need = heapBytes(config);
        if (machineBytes > 0 && need > machineBytes) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "this run needs about %s of Java"
                    + " heap but the machine has %s of memory; use a smaller --batch, --test-batch or --resolution",
                    megabytes(need), megabytes(machineBytes)));
        }
    }

    /** {@return the physical memory of this machine (or container) in bytes, 0 if unknown} */
    public static long machineBytes() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return 0;
    }

    private static String megabytes(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 8 EB" : String.format(java.util.Locale.ROOT, "%,d MB", bytes >> 20);
    }

    private static long saturate(double bytes) {
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /**
     * The Java heap a Hessian-vector product of one step's loss ({@code Autodiff.hvp}) needs at
     * the run's batch: FIXED + {@link #HVP_SLACK} · what the product keeps, the step's forward graph and its
     * recorded backward graph (see {@link #hvpGraphBytes}). For the seed preset (batch 128, 64×64) that is about
     * 1.5 GB, about twice a first-order training step's {@link #heapBytes}.
     *
     * @param config the run
     * @return bytes of Java heap
     */
    public static long hvpHeapBytes(TrainConfig config) {
        int batch = Math.max(config.batch(), config.testBatch());
        double planned = FIXED_BYTES + Math.ceil(HVP_SLACK * hvpGraphBytes(config, batch));
        return Math.max(MIN_BYTES, saturate(planned));
    }

    /**
     * Bytes of the tensors a Hessian-vector product of one step keeps until its second backward pass: the forward
     * graph and the recorded gradients of every op, parameters excluded. Parameter-shaped gradients do not scale
     * with the batch, so the graph is recorded at two batch sizes and the bytes fitted as c + b·B·R².
     *
     * @param config the run (problem, method, resolution)
     * @param batch examples per step
     * @return bytes of the two graphs
     */
    public static long hvpGraphBytes(TrainConfig config, int batch) {
        long small = hvpProbeBytes(config, PROBE_BATCH);
        long large = hvpProbeBytes(config, 2 * PROBE_BATCH);
        double perPixel = (large - small) / (double) (PROBE_BATCH * PROBE_RESOLUTION * PROBE_RESOLUTION);
        double constant = Math.max(0, small - perPixel * PROBE_BATCH * PROBE_RESOLUTION * PROBE_RESOLUTION);
        return saturate(Math.ceil(constant + perPixel * batch * (double) config.resolution() * config.resolution()));
    }

    /** Records one step's loss and its differentiable gradients at {@code batch}×8×8 and adds up the graph's sizes. */
    private static long hvpProbeBytes(TrainConfig config, int batch) {
        TrainConfig probe = config.toBuilder().batch(batch).resolution(PROBE_RESOLUTION).testBatch(1).build();
        Problem problem = Problems.create(probe);
        Module net = problem.newNetwork(0);
        Problem.Batch data = problem.sample(batch, new SplittableRandom(0));
        Tensor loss = TrainingStep.loss(problem, config.method(), net, data).value();
        java.util.List<Tensor> params = net.parameterValues();
        // records the gradients as an HVP does (no step is taken, nothing is updated)
        java.util.List<Tensor> g = Autodiff.vjp(loss, Tensor.full(loss.dtype(), loss.shape(), 1.0), params,
                Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.KEEP_GRAPH, Autodiff.Differentiable.YES).asList();
        Tensor gv = null;
        for (Tensor gi : g) { // ⟨g, v⟩ with v = 1: the scalar an HVP differentiates
            gv = gv == null ? gi.sum() : gv.add(gi.sum());
        }
        return graphBytes(gv);
    }

    /** Bytes of every recorded (non-leaf) tensor {@code root} depends on. */
    private static long graphBytes(Tensor root) {
        long bytes = 0;
        for (Tensor t : Graph.topologicalOrder(root)) {
            if (t.node() != null) {
                bytes += (long) t.size() * (t.dtype() == DType.FLOAT32 ? Float.BYTES : Double.BYTES);
            }
        }
        return bytes;
    }

    /** Records one step's graph on a 2×8×8 batch and adds up its tensors' sizes. */
    private static long probeBytes(TrainConfig config) {
        TrainConfig probe = config.toBuilder().batch(PROBE_BATCH).resolution(PROBE_RESOLUTION).testBatch(1).build();
        Problem problem = Problems.create(probe);
        Module net = problem.newNetwork(0);
        Problem.Batch batch = problem.sample(PROBE_BATCH, new SplittableRandom(0));
        Tensor loss = TrainingStep.loss(problem, config.method(), net, batch).value();
        long bytes = 0;
        for (Tensor t : Graph.topologicalOrder(loss)) {
            if (t.node() != null) { // parameters are leaves and do not scale with the batch
                bytes += (long) t.size() * (t.dtype() == DType.FLOAT32 ? Float.BYTES : Double.BYTES);
            }
        }
        return bytes;
    }
}
