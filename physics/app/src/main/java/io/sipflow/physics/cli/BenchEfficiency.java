package io.sipflow.physics.cli;

import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;

import java.io.PrintWriter;

/**
 * The efficiency lines of {@code sipflow bench}: this machine's FLOAT32 FMA peak (a short Vector API probe at
 * start), the SIP step's convolution GFLOP/s and their share of that peak, and the share of the step spent
 * outside the convolutions (the step's median minus the convolutions timed alone at the same shapes):
 * <pre>
 * sipflow fma_peak gflops=… kernels=…
 * sipflow efficiency step_gflop=… step_gflops=… peak_share=…% outside_conv_share=…%
 * </pre>
 */
final class BenchEfficiency {
    private BenchEfficiency() {
    }

    /** Measures and prints the peak; NaN (and no probe) when the scalar kernels run. */
    static double probePeak(PrintWriter out) {
        Backend backend = Backends.current();
        double peak = backend.fmaPeakGflops();
        out.printf("sipflow fma_peak gflops=%.1f kernels=%s loadavg=%.2f%n", peak, backend.kernels(),
                BenchTiming.loadAverage());
        out.flush();
        return peak;
    }

    /** The efficiency line for a SIP step of {@code stepMs}; without layer timings the outside share is omitted. */
    static void print(PrintWriter out, double peakGflops, double stepMs, LayerBench layers) {
        double gflop = layers.stepConvGflop();
        double gflops = gflop / (stepMs / 1e3);
        String outside = Double.isNaN(layers.stepConvMs()) ? ""
                : String.format(" outside_conv_share=%.0f%%", 100 * Math.max(0, 1 - layers.stepConvMs() / stepMs));
        out.printf("sipflow efficiency step_gflop=%.1f step_gflops=%.1f peak_share=%.0f%%%s loadavg=%.2f%n", gflop,
                gflops, 100 * gflops / peakGflops, outside, BenchTiming.loadAverage());
        out.flush();
    }
}
