package io.sipflow.autodiff.backend;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times each CPU kernel ran in this JVM, by name ("conv2d backward weight / vector 8 lanes × 2 passes",
 * "parallel split"): the proof of which code paths a run took, e.g. that a golden-digest run on an AVX2 JVM ran the
 * 256-bit kernels and split work over threads. One {@link LongAdder} increment per kernel call, never per element.
 */
public final class KernelCounts {
    private static final Map<String, LongAdder> COUNTERS = new ConcurrentHashMap<>();

    private KernelCounts() {
    }

    /**
     * The counter for a kernel, created at zero on first use; keep it in a static final field.
     *
     * @param kernel the kernel and its implementation, e.g. "conv2d forward / scalar"
     * @return its counter, the same object for the same name
     */
    public static LongAdder counter(String kernel) {
        return COUNTERS.computeIfAbsent(kernel, k -> new LongAdder());
    }

    /** {@return every kernel that ran at least once since the last {@link #reset}, with its count, sorted by name} */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        COUNTERS.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                out.put(k, n);
            }
        });
        return out;
    }

    /** Sets every count to zero (the counters stay registered). */
    public static void reset() {
        COUNTERS.values().forEach(LongAdder::reset);
    }
}
