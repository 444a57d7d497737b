package io.sipflow.physics.cli;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.NormOps;
import io.sipflow.physics.Diffuse;
import io.sipflow.physics.InverseDiffuse;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Per-layer-kind timings of {@code sipflow bench}: every layer of one kind that a U-Net pass runs (the seed's
 * network: 4 levels, 16 filters), summed, timed together, on random inputs of the layer's shape. GFLOP/s where
 * the count is defined (convolutions: 2·N·O·C·k²·H·W per layer and pass, the same for each adjoint).
 */
final class LayerBench {
    /** One convolution of the U-Net: channels in/out, spatial size, kernel size. */
    record Conv(int c, int o, int size, int k) {
    }

    /** System property that adds one line per convolution shape and pass ({@link #perShape}). */
    static final String PER_SHAPE_PROPERTY = "sipflow.bench.convShapes";
    private final int batch;
    private final int warmup;
    private final int steps;
    private final List<Conv> convs = new ArrayList<>();
    private final List<Integer> normSizes = new ArrayList<>();
    private final SplittableRandom rng = new SplittableRandom(7);
    /** Median ms of all convolutions' forward, backward-data and backward-weight passes, once {@link #run} ran. */
    private double convMs = Double.NaN;

    LayerBench(int batch, int resolution, int warmup, int steps) {
        this.batch = batch;
        this.warmup = warmup;
        this.steps = steps;
        int f = 16;
        addDouble(1, resolution);
        for (int level = 1; level < 4; level++) {
            addDouble(f, resolution >> level);
        }
        for (int level = 2; level >= 0; level--) {
            addDouble(2 * f, resolution >> level);
        }
        convs.add(new Conv(f, 1, resolution, 1));
    }

    /**
     * Bytes the convolution measurements hold at once: every layer's input and output gradient (FLOAT32), plus
     * one output being made. The launcher adds this to a step's heap for {@code bench} (see {@link HeapPlan}).
     */
    long convolutionBytes() {
        long floats = 0;
        long largestOutput = 0;
        for (Conv c : convs) {
            long pixels = (long) batch * c.size() * c.size();
            floats += (c.c() + c.o()) * pixels;
            largestOutput = Math.max(largestOutput, Math.max(c.c(), c.o()) * pixels);
        }
        return (floats + largestOutput) * Float.BYTES;
    }

    /**
     * GFLOP of the convolutions in one training step: forward, backward-data (not for the first layer, whose
     * input, the observation, needs no gradient) and backward-weight, 2·N·O·C·k²·H·W each. The rest of the step
     * (batch norm, pooling, the physics) adds well under 1 % to this count.
     */
    double stepConvGflop() {
        double gflop = 0;
        for (int i = 0; i < convs.size(); i++) {
            Conv c = convs.get(i);
            double pass = 2.0 * batch * c.o() * c.c() * c.k() * c.k() * c.size() * c.size() / 1e9;
            gflop += (i == 0 ? 2 : 3) * pass;
        }
        return gflop;
    }

    /** ms the convolutions of one step take when timed alone (NaN before {@link #run}). */
    double stepConvMs() {
        return convMs;
    }

    /** A DoubleConv block: conv in→16, conv 16→16, each followed by batch norm and ReLU. */
    private void addDouble(int in, int size) {
        convs.add(new Conv(in, 16, size, 3));
        convs.add(new Conv(16, 16, size, 3));
        normSizes.add(size);
        normSizes.add(size);
    }

    /** Each group's inputs are garbage before the next group's are made: the bench fits the heap a step needs. */
    void run(PrintWriter out) {
        convolutions(out);
        otherLayers(out);
    }

    private void convolutions(PrintWriter out) {
        Backend backend = Backends.current();
        double gflop = 0;
        List<Tensor[]> conv = new ArrayList<>();
        for (Conv c : convs) {
            gflop += 2.0 * batch * c.o() * c.c() * c.k() * c.k() * c.size() * c.size() / 1e9;
            conv.add(new Tensor[] {random(batch, c.c(), c.size(), c.size()), random(c.o(), c.c(), c.k(), c.k()),
                random(c.o()), random(batch, c.o(), c.size(), c.size())});
        }
        Padding pad = Padding.CIRCULAR;
        convMs = line(out, "conv_forward", gflop, () -> {
            for (Tensor[] t : conv) {
                recycle(backend.conv2d(t[0], t[1], t[2], pad));
            }
        });
        convMs += line(out, "conv_backward_data", gflop, () -> {
            for (Tensor[] t : conv) {
                recycle(backend.conv2dBackwardData(t[3], t[1], pad, t[0].shape()));
            }
        });
        convMs += line(out, "conv_backward_weight", gflop, () -> {
            for (Tensor[] t : conv) {
                recycle(backend.conv2dBackwardWeight(t[3], t[0], pad, t[1].shape()));
            }
        });
        if (Boolean.getBoolean(PER_SHAPE_PROPERTY)) {
            perShape(out, backend, conv, pad);
        }
    }

    /**
     * With {@code -Dsipflow.bench.convShapes=true}: each distinct convolution shape's three passes timed alone
     * (one call each, the layer's inputs), for finding where the convolution time and the low efficiency are;
     * {@code cpu_ms} at {@code --threads 1} is the figure that survives a loaded machine.
     */
    private void perShape(PrintWriter out, Backend backend, List<Tensor[]> conv, Padding pad) {
        java.util.Set<Conv> seen = new java.util.HashSet<>();
        for (int i = 0; i < convs.size(); i++) {
            Conv c = convs.get(i);
            if (!seen.add(c)) {
                continue;
            }
            Tensor[] t = conv.get(i);
            double gflop = 2.0 * batch * c.o() * c.c() * c.k() * c.k() * c.size() * c.size() / 1e9;
            String shape = "_c" + c.c() + "_o" + c.o() + "_" + c.size() + "x" + c.size() + "_k" + c.k();
            shapeLine(out, "conv_forward" + shape, gflop, () -> backend.conv2d(t[0], t[1], t[2], pad));
            shapeLine(out, "conv_backward_data" + shape, gflop,
                    () -> backend.conv2dBackwardData(t[3], t[1], pad, t[0].shape()));
            shapeLine(out, "conv_backward_weight" + shape, gflop,
                    () -> backend.conv2dBackwardWeight(t[3], t[0], pad, t[1].shape()));
        }
    }

    /**
     * {@link #line}, plus the median CPU time of the calling thread per timed call ({@code thread_cpu_ms}, ns
     * resolution, where process CPU time here ticks in 10 ms) and the GFLOP/s it gives ({@code cpu_gflops}): at
     * {@code --threads 1} all work runs on this thread, so these are the per-shape figures a loaded machine leaves
     * intact. Computed results are recycled into the buffer pool, as the training step recycles them.
     */
    private void shapeLine(PrintWriter out, String name, double gflop, java.util.function.Supplier<Tensor> call) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean cpuTimed = mx.isCurrentThreadCpuTimeSupported();
        double[] cpuMs = new double[warmup + steps];
        int[] calls = {0};
        BenchTiming.Stats s = BenchTiming.measure(() -> {
            long t0 = cpuTimed ? mx.getCurrentThreadCpuTime() : 0;
            Tensor result = call.get();
            cpuMs[calls[0]++] = cpuTimed ? (mx.getCurrentThreadCpuTime() - t0) / 1e6 : Double.NaN;
            io.sipflow.autodiff.BufferPool.recycleTemporary(result, "bench");
        }, warmup, steps);
        double[] timed = java.util.Arrays.copyOfRange(cpuMs, warmup, warmup + steps);
        java.util.Arrays.sort(timed);
        double cpu = steps % 2 == 1 ? timed[steps / 2] : (timed[steps / 2 - 1] + timed[steps / 2]) / 2;
        out.println("sipflow " + name + " " + s.format()
                + String.format(" gflops=%.1f thread_cpu_ms=%.2f cpu_gflops=%.1f", gflop / (s.medianMs() / 1e3),
                        cpu, gflop / (cpu / 1e3)));
        out.flush();
    }

    private void otherLayers(PrintWriter out) {
        List<Tensor> norms = new ArrayList<>();
        for (int s : normSizes) {
            norms.add(random(batch, 16, s, s));
        }
        Tensor gamma = random(16).abs().add(0.5);
        Tensor beta = random(16);
        // Each result goes back to the buffer pool, as in the training step: without that, every call allocated
        // its outputs anew (up to 33 MB each at the seed size), and on JDK 17 the collections this caused made the
        // batch-norm and ReLU lines bimodal (ReLU 15 to 320 ms at 128 × 64²).
        line(out, "batch_norm", 0, () -> norms.forEach(x -> recycle(
                NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.NONE).output())));
        line(out, "relu", 0, () -> norms.forEach(x -> recycle(x.relu())));
        line(out, "max_pool", 0, () -> {
            for (int i = 0; i < 3; i++) {
                recycle(ImageOps.maxPool2d(norms.get(2 * i + 1), 2));
            }
        });
        line(out, "upsample", 0, () -> {
            for (int i = 3; i < 6; i++) {
                recycle(ImageOps.upsampleBilinear2x(norms.get(2 * i + 1)));
            }
        });
        int r = convs.get(0).size();
        Tensor field = Tensor.rand(rng, batch, r, r);
        line(out, "fft_physics", 0, () -> {
            Tensor y = Diffuse.fourier(field, 8, 1);
            Tensor magnitude = y.abs();
            Tensor noise = magnitude.mul(1e-6);
            recycle(InverseDiffuse.correction(y, 8, noise)); // the SIP step's inverse: no diagnostics
            for (Tensor t : new Tensor[] {noise, magnitude, y}) {
                recycle(t);
            }
        });
    }

    /** Gives a layer line's result back to the buffer pool (nothing records here, so it goes back at once). */
    private static void recycle(Tensor result) {
        io.sipflow.autodiff.BufferPool.recycleTemporary(result, "bench");
    }

    /** Times {@code body}, prints its line and returns the median ms. */
    private double line(PrintWriter out, String name, double gflop, BenchTiming.Body body) {
        BenchTiming.Stats s = BenchTiming.measure(body, warmup, steps);
        out.println("sipflow " + name + " " + s.format()
                + (gflop > 0 ? String.format(" gflops=%.1f", gflop / (s.medianMs() / 1e3)) : ""));
        out.flush();
        return s.medianMs();
    }

    private Tensor random(int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(DType.FLOAT32, s, v);
    }
}
