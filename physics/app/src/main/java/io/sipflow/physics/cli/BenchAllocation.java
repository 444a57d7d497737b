package io.sipflow.physics.cli;

import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes a warm step allocates, for {@code sipflow bench}:
 * <pre>
 * sipflow allocation sip_step bytes_per_step=… mb_per_step=… gc_count_per_step=… gc_ms_per_step=… cpu_ms_per_step=… n=…
 * </pre>
 * The JVM's per-thread allocation counters ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) summed
 * over every live thread (the caller and the kernels' worker threads) across n repetitions, divided by n. A thread
 * that ends during the measurement takes its count with it, so the figure is a lower bound (the worker pool's
 * threads live through it). The collections the JVM ran meanwhile, and their accumulated time, per step beside it,
 * and the CPU time the same threads spent (the caller's and the workers'): unlike wall-clock time it does not grow
 * when other processes share the cores, so old and new builds can be compared on a busy machine
 * ({@code --threads 1} keeps the work on one thread, where the figure is exactly the step's).
 */
final class BenchAllocation {
    private BenchAllocation() {
    }

    /** Runs {@code body} {@code steps} times (warm: call it after the timing lines) and prints the line. */
    static void print(PrintWriter out, String name, int steps, BenchTiming.Body body) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            out.println("sipflow allocation " + name
                    + " unavailable (this JVM does not count allocated bytes per thread)");
            out.flush();
            return;
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        Map<Long, Long> before = allocatedByThread(threads);
        Map<Long, Long> cpuBefore = cpuByThread(threads);
        long gcCount = gcCount();
        long gcMs = gcMillis();
        for (int i = 0; i < steps; i++) {
            body.run();
        }
        long bytes = 0;
        for (Map.Entry<Long, Long> e : allocatedByThread(threads).entrySet()) {
            bytes += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        long cpuNanos = 0;
        for (Map.Entry<Long, Long> e : cpuByThread(threads).entrySet()) {
            cpuNanos += e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
        }
        double perStep = bytes / (double) steps;
        out.printf("sipflow allocation %s bytes_per_step=%.0f mb_per_step=%.1f gc_count_per_step=%.2f"
                        + " gc_ms_per_step=%.1f cpu_ms_per_step=%.1f n=%d%n", name, perStep,
                perStep / (1024.0 * 1024.0), (gcCount() - gcCount) / (double) steps,
                (gcMillis() - gcMs) / (double) steps, cpuNanos / 1e6 / steps, steps);
        out.flush();
    }

    /** Bytes each live thread has allocated since it started, by thread id (threads that ended meanwhile: left out). */
    private static Map<Long, Long> allocatedByThread(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byId = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byId.put(ids[i], bytes[i]);
            }
        }
        return byId;
    }

    /** CPU time of each live thread so far, in nanoseconds, by thread id (-1 where the JVM cannot tell: left out). */
    private static Map<Long, Long> cpuByThread(com.sun.management.ThreadMXBean threads) {
        Map<Long, Long> byId = new HashMap<>();
        if (!threads.isThreadCpuTimeSupported()) {
            return byId;
        }
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (nanos >= 0) {
                byId.put(id, nanos);
            }
        }
        return byId;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }
}
