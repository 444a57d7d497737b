package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.backend.Parallel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Prints (never asserts) the time of the seed's U-Net forward and forward+backward pass, FLOAT32, on the current
 * backend. Not a test. Run after {@code mvn -o test-compile -pl nn -am}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp autodiff/target/classes:nn/target/classes:nn/target/test-classes \
 *      io.sipflow.nn.UNetBenchmark [batch=8] [res=64] [reps=5]
 * </pre>
 */
public final class UNetBenchmark {
    private UNetBenchmark() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int res = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (var p = Precision.use(DType.FLOAT32)) {
            UNet net = new UNet(new UNet.Config(1, 1, 4, 16, Norm.BATCH, Activation.RELU, Padding.CIRCULAR), 0);
            Tensor x = Tensor.randn(new SplittableRandom(1), batch, 1, res, res);
            System.out.printf("sipflow UNet backend=%s threads=%d batch=%d res=%d params=%d loadavg=%.2f%n",
                    Backends.current().name(), Parallel.threads(), batch, res, net.parameterCount(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            measure("forward", reps, () -> Autodiff.noGrad(() -> net.forward(x)));
            measure("forward+backward", reps, () -> Autodiff.grad(net.forward(x).square().sum(),
                    net.parameterValues()));
        }
    }

    private static void measure(String name, int reps, Runnable body) {
        body.run(); // warm-up
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("sipflow %s median_ms=%.1f min_ms=%.1f max_ms=%.1f n=%d%n", name, ms[reps / 2], ms[0],
                ms[reps - 1], reps);
    }
}
