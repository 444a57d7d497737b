package io.sipflow.gpu;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.CpuBackend;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times each OpenCL kernel on the current device at the sizes of the seed's U-Net (first level: 16 → 16 filters,
 * 3×3, circular, 64×64 images, batch 128) plus one square matrix product, in FLOAT32 and FLOAT64, and optionally
 * the CPU backend on the same inputs. Times are wall-clock per call, including the copies to and from the device
 * (see {@link OpenClBackend} for what moves; every call gets fresh input arrays, so nothing is already on the
 * device), after warm-up calls that include the kernel compile.
 * <pre>
 * java -cp ... io.sipflow.gpu.OpenClKernelBench [--batch 128] [--size 64] [--filters 16] [--matmul 512]
 *                                               [--reps 5] [--device any] [--cpu]
 * </pre>
 */
public final class OpenClKernelBench {
    private OpenClKernelBench() {
    }

    /**
     * Prints one timing line per kernel, size and type (see the class comment).
     *
     * @param args {@code --batch}, {@code --size}, {@code --filters}, {@code --matmul}, {@code --reps},
     *        {@code --device} and {@code --cpu}, as in the class comment
     */
    public static void main(String[] args) {
        int batch = intArg(args, "--batch", 128);
        int size = intArg(args, "--size", 64);
        int filters = intArg(args, "--filters", 16);
        int mm = intArg(args, "--matmul", 512);
        int reps = intArg(args, "--reps", 5);
        String filter = stringArg(args, "--device", OpenClDevices.configuredFilter());
        boolean withCpu = Arrays.asList(args).contains("--cpu");

        long t0 = System.nanoTime();
        OpenClBackend gpu = OpenClBackend.create(filter);
        System.out.printf(Locale.ROOT, "device: %s%n", gpu.deviceDescription());
        System.out.printf(Locale.ROOT, "backend created (incl. first kernel compile) in %.0f ms%n",
                (System.nanoTime() - t0) / 1e6);
        System.out.printf(Locale.ROOT, "conv: batch %d, %d→%d filters, 3×3 circular, %d×%d; matmul %d³; %d reps%n",
                batch, filters, filters, size, size, mm, reps);
        System.out.printf(Locale.ROOT, "%-22s %-8s %11s %10s %9s %9s%s%n", "kernel", "dtype", "median ms", "min ms",
                "GFLOP/s", "MB moved", withCpu ? "       cpu ms   speed-up" : "");
        for (DType dtype : DType.values()) {
            SplittableRandom rng = new SplittableRandom(1);
            Tensor x = random(rng, dtype, batch, filters, size, size);
            Tensor w = random(rng, dtype, filters, filters, 3, 3);
            Tensor bias = random(rng, dtype, filters);
            Tensor gy = random(rng, dtype, batch, filters, size, size);
            Tensor a = random(rng, dtype, 1, mm, mm);
            Tensor b = random(rng, dtype, 1, mm, mm);
            double convFlops = 2.0 * batch * filters * filters * 9 * size * size;
            // host↔device traffic per call, MB: inputs in, result out (FLOAT32 results stay resident: an upper bound)
            double mb = dtype.bytes() / 1e6;
            double act = (double) batch * filters * size * size;
            double weights = filters * filters * 9.0;
            Shape wShape = w.shape();
            // fresh(t): a new host tensor per call, so every input is uploaded (in training they are resident)
            row("conv2d", dtype, convFlops, (2 * act + weights + filters) * mb, reps, withCpu, be -> () -> {
                Tensor xi = fresh(x), wi = fresh(w), bi = fresh(bias);
                return () -> be.conv2d(xi, wi, bi, Padding.CIRCULAR);
            }, gpu);
            row("conv2dBackwardData", dtype, convFlops, (2 * act + weights) * mb, reps, withCpu, be -> () -> {
                Tensor gi = fresh(gy), wi = fresh(w);
                return () -> be.conv2dBackwardData(gi, wi, Padding.CIRCULAR, x.shape());
            }, gpu);
            row("conv2dBackwardWeight", dtype, convFlops, (2 * act + weights * batch) * mb, reps, withCpu, be -> () -> {
                Tensor gi = fresh(gy), xi = fresh(x);
                return () -> be.conv2dBackwardWeight(gi, xi, Padding.CIRCULAR, wShape);
            }, gpu);
            row("matmul", dtype, 2.0 * mm * mm * mm, 3.0 * mm * mm * mb, reps, withCpu, be -> () -> {
                Tensor ai = fresh(a), bi = fresh(b);
                return () -> be.matmul(ai, bi);
            }, gpu);
        }
    }

    /** For a backend: prepares fresh inputs (untimed) and returns the call to time. */
    private interface Call {
        Supplier<Supplier<Tensor>> on(Backend backend);
    }

    private static void row(String name, DType dtype, double flops, double moved, int reps, boolean withCpu,
                            Call call, OpenClBackend gpu) {
        double[] ms = time(call.on(gpu), reps);
        double median = ms[ms.length / 2];
        String cpuPart = "";
        if (withCpu) {
            double[] cpu = time(call.on(CpuBackend.instance()), Math.max(1, reps / 2));
            double cpuMedian = cpu[cpu.length / 2];
            cpuPart = String.format(Locale.ROOT, " %12.1f %9.1fx", cpuMedian, cpuMedian / median);
        }
        System.out.printf(Locale.ROOT, "%-22s %-8s %11.2f %10.2f %9.2f %9.1f%s%n", name, dtype, median, ms[0],
                flops / (median * 1e6), moved, cpuPart);
    }

    /** Two warm-up calls (compile, buffer allocation), then {@code reps} timed calls, sorted, in ms. */
    private static double[] time(Supplier<Supplier<Tensor>> prepare, int reps) {
        prepare.get().get();
        prepare.get().get();
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            Supplier<Tensor> call = prepare.get();
            long t = System.nanoTime();
            call.get();
            ms[r] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static Tensor fresh(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? Tensor.wrap(t.shape(), t.toFloatArray())
                : Tensor.wrap(t.shape(), t.toDoubleArray());
    }

    private static Tensor random(SplittableRandom rng, DType dtype, int... dims) {
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Tensor.of(dtype, shape, v);
    }

    private static int intArg(String[] args, String name, int dflt) {
        String v = stringArg(args, name, null);
        return v == null ? dflt : Integer.parseInt(v);
    }

    private static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
