package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Kernel-level benchmark: the CPU backend's fast kernels against its scalar reference ({@link CpuBackend#scalar()})
 * at the seed's U-Net shapes, one line per kernel and shape:
 * <pre>
 * sipflow conv_forward shape=N128_C16_O16_64x64_k3 median_ms=… min_ms=… gflops=… reference_ms=… speedup=…
 * </pre>
 * Run: {@code java --add-modules jdk.incubator.vector -cp autodiff/target/classes io.sipflow.autodiff.backend.KernelBench
 * [--batch 128] [--reps 10] [--reference-reps 2] [--threads 2] [--all-shapes]}. Timings, not assertions.
 */
public final class KernelBench {
    private KernelBench() {
    }

    /**
     * Prints one line per kernel and shape (see the class comment).
     *
     * @param args {@code --batch N}, {@code --reps N}, {@code --reference-reps N}, {@code --threads N},
     *        {@code --all-shapes}
     */
    public static void main(String[] args) {
        int batch = intArg(args, "--batch", 128);
        int reps = intArg(args, "--reps", 10);
        int refReps = intArg(args, "--reference-reps", 2);
        Parallel.setThreads(intArg(args, "--threads", 2));
        boolean all = Arrays.asList(args).contains("--all-shapes");
        System.out.println("sipflow kernels=" + FastPath.describe() + " threads=" + Parallel.threads() + " batch=" + batch
                + " loadavg=" + loadAverage());
        if (FastPath.usesVectorApi()) {
            System.out.printf("sipflow fma_peak gflops=%.1f%n", FastPath.kernels().fmaPeakGflops());
        }
        int[][] shapes = all
                ? new int[][] {{1, 16, 64, 3}, {16, 16, 64, 3}, {32, 16, 64, 3}, {16, 16, 32, 3}, {32, 16, 32, 3},
                        {16, 16, 16, 3}, {16, 16, 8, 3}, {16, 1, 64, 1}}
                : new int[][] {{16, 16, 64, 3}};
        for (int[] s : shapes) {
            convLines(batch, s[0], s[1], s[2], s[3], reps, refReps);
        }
        gemmLine(512, 512, 512, reps, refReps);
    }

    private static void convLines(int n, int c, int o, int size, int k, int reps, int refReps) {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = random(rng, n, c, size, size);
        Tensor w = random(rng, o, c, k, k);
        Tensor b = random(rng, o);
        Tensor gy = random(rng, n, o, size, size);
        Padding pad = Padding.CIRCULAR;
        double gflop = 2.0 * n * o * c * k * k * size * size / 1e9;
        String shape = "N" + n + "_C" + c + "_O" + o + "_" + size + "x" + size + "_k" + k;
        CpuBackend fast = CpuBackend.instance();
        CpuBackend ref = CpuBackend.scalar();
        line("conv_forward", shape, gflop, reps, refReps,
                () -> fast.conv2d(x, w, b, pad), () -> ref.conv2d(x, w, b, pad));
        line("conv_backward_data", shape, gflop, reps, refReps,
                () -> fast.conv2dBackwardData(gy, w, pad, x.shape()), () -> ref.conv2dBackwardData(gy, w, pad, x.shape()));
        line("conv_backward_weight", shape, gflop, reps, refReps,
                () -> fast.conv2dBackwardWeight(gy, x, pad, w.shape()), () -> ref.conv2dBackwardWeight(gy, x, pad, w.shape()));
    }

    private static void gemmLine(int m, int k, int n, int reps, int refReps) {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor a = random(rng, 1, m, k);
        Tensor b = random(rng, 1, k, n);
        line("gemm", m + "x" + k + "x" + n, 2.0 * m * k * n / 1e9, reps, refReps,
                () -> CpuBackend.instance().matmul(a, b), () -> CpuBackend.scalar().matmul(a, b));
    }

    private static void line(String name, String shape, double gflop, int reps, int refReps, Supplier<Tensor> fast,
                             Supplier<Tensor> reference) {
        double[] f = time(fast, 2, reps);
        double[] r = refReps > 0 ? time(reference, 0, refReps) : null;
        double med = median(f);
        System.out.printf("sipflow %s shape=%s median_ms=%.2f min_ms=%.2f gflops=%.1f%s%n", name, shape, med,
                Arrays.stream(f).min().orElse(0), gflop / (med / 1e3),
                r == null ? "" : String.format(" reference_ms=%.1f speedup=%.1f", median(r), median(r) / med));
    }

    private static double[] time(Supplier<Tensor> kernel, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) {
            kernel.get();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            kernel.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static Tensor random(SplittableRandom rng, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(DType.FLOAT32, s, v);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static String loadAverage() {
        return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
