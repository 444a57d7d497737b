package io.sipflow.physics.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Timing statistics and memory high-water marks for {@code sipflow bench}, printed like the PyTorch reference. */
final class BenchTiming {
    private BenchTiming() {
    }

    /**
     * Median, min and max of n timings in milliseconds, and the median CPU time the whole process used per
     * repetition (all threads, GC and compiler included): on a shared machine whose load varies, the CPU time
     * compares two runs better than the wall time does.
     */
    record Stats(double medianMs, double minMs, double maxMs, int n, double cpuMedianMs) {
        static Stats of(double[] ms, double[] cpuMs) {
            double[] s = ms.clone();
            Arrays.sort(s);
            int n = s.length;
            return new Stats(median(s), s[0], s[n - 1], n, median(cpuMs));
        }

        private static double median(double[] values) {
            double[] s = values.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        }

        /** {@code median_ms=… min_ms=… max_ms=… n=…}, the reference script's format, then {@code cpu_ms=…}. */
        String format() {
            return String.format("median_ms=%.1f min_ms=%.1f max_ms=%.1f n=%d cpu_ms=%.1f", medianMs, minMs, maxMs, n,
                    cpuMedianMs);
        }
    }

    /** Something timed once per call. */
    @FunctionalInterface
    interface Body {
        void run();
    }

    /** Runs {@code body} {@code warmup} times untimed, then {@code steps} times timed. */
    static Stats measure(Body body, int warmup, int steps) {
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        double[] ms = new double[steps];
        double[] cpuMs = new double[steps];
        for (int i = 0; i < steps; i++) {
            long cpu = processCpuNanos();
            long t = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
            cpuMs[i] = (processCpuNanos() - cpu) / 1e6;
        }
        return Stats.of(ms, cpuMs);
    }

    /** CPU time of this process so far in ns (-1 each time where the JVM cannot tell: cpu_ms then reads 0). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Sum of the heap pools' peak usage since the JVM started, in MiB (an upper bound on the peak heap). */
    static double peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024.0);
    }

    /** A field of /proc/self/status in MiB (VmHWM = peak resident set), or -1 where there is no /proc. */
    static double procStatusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The 1-minute load average (the machine may be shared: timings are only as quiet as it is). */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
