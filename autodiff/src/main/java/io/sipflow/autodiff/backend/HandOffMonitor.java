package io.sipflow.autodiff.backend;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides whether a {@link WorkerPool}'s idle threads may spin: yes on a machine with cores to spare, no while it is
 * oversubscribed. Spinning keeps a hand-off to a few hundred nanoseconds when every participant has a core; when the
 * operating system has more runnable threads than cores, a spinning thread burns the time slice that the thread it
 * waits for needs (and the scheduler then runs the spinner's process less), and parking at once, as a fork-join pool
 * does, is faster.
 *
 * <p>The signal is the calling thread's <em>run-queue wait</em>: the share of wall time it was ready to run but had
 * no core, sampled every {@link #SAMPLE_NANOS} (Linux: {@code /proc/thread-self/schedstat}; elsewhere the share the
 * system load average implies, {@code 1 − cores/load}). Above {@link #STOP_SHARE} spinning stops; below
 * {@link #RESUME_SHARE} it resumes. A quiet machine waits near 0 %, a 2-core machine at load 15 near 85 %.
 *
 * <p>Only the thread that runs a job (one at a time) calls {@link #observe}; the spin budget is read by all.
 * Which thread runs a chunk never changes a result, so neither does this.
 */
final class HandOffMonitor {
    /** How long an idle worker, or a caller waiting for the last chunks, spins before it parks while spinning is on. */
    static final long SPIN_NANOS = 200_000;
    /** How often the run-queue wait is sampled. */
    static final long SAMPLE_NANOS = 20_000_000;
    /** Run-queue wait share above which spinning stops. */
    static final double STOP_SHARE = 0.25;
    /** Run-queue wait share below which spinning resumes. */
    static final double RESUME_SHARE = 0.10;

    private static final LongAdder STOPPED = KernelCounts.counter("parallel hand-off: spinning stopped (oversubscribed)");
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    /** The calling thread's run-queue wait so far in ns, or −1 where the system cannot tell. */
    @FunctionalInterface
    interface WaitClock {
        long waitedNanos();
    }

    private final WaitClock clock;
    private volatile long spinNanos = SPIN_NANOS;
    private Thread sampledThread;
    private long sampledAt;
    private long sampledWait = -1;
    private long switches;

    /** A monitor of the real run-queue wait. */
    HandOffMonitor() {
        this(HandOffMonitor::runQueueWait);
    }

    /** A monitor reading {@code clock} (tests). */
    HandOffMonitor(WaitClock clock) {
        this.clock = clock;
    }

    /** {@return how long idle threads spin before parking now: {@link #SPIN_NANOS}, or 0 while oversubscribed} */
    long spinNanos() {
        return spinNanos;
    }

    /** {@return true while idle threads spin} */
    boolean spinning() {
        return spinNanos > 0;
    }

    /** {@return how often spinning was turned off or on so far} */
    long switches() {
        return switches;
    }

    /**
     * Called by the thread that ran a job, after it: every {@link #SAMPLE_NANOS} compares that thread's run-queue wait
     * with the wall time since the last sample on the same thread, and stops or resumes spinning.
     *
     * @param now the current {@link System#nanoTime()}
     */
    void observe(long now) {
        if (now - sampledAt < SAMPLE_NANOS && sampledThread != null) {
            return;
        }
        Thread t = Thread.currentThread();
        long waited = clock.waitedNanos();
        if (waited < 0) { // no per-thread counter: the load average's share, where the system has one
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            if (load > 0) {
                decide(Math.max(0, 1 - Runtime.getRuntime().availableProcessors() / load));
            }
        } else if (t == sampledThread && sampledWait >= 0 && now > sampledAt) {
            decide((waited - sampledWait) / (double) (now - sampledAt));
        }
        sampledThread = t;
        sampledAt = now;
        sampledWait = waited;
    }

    /** Stops spinning above {@link #STOP_SHARE} of wall time spent waiting for a core, resumes below the other mark. */
    void decide(double waitShare) {
        if (spinNanos > 0 && waitShare > STOP_SHARE) {
            spinNanos = 0;
            switches++;
            STOPPED.increment();
        } else if (spinNanos == 0 && waitShare < RESUME_SHARE) {
            spinNanos = SPIN_NANOS;
            switches++;
        }
    }

    /** The calling thread's run-queue wait in ns since it started (Linux's per-thread schedstat), or −1. */
    static long runQueueWait() {
        try {
            String s = new String(Files.readAllBytes(SCHEDSTAT), StandardCharsets.US_ASCII);
            int a = s.indexOf(' ');
            int b = s.indexOf(' ', a + 1);
            return Long.parseLong(s.substring(a + 1, b < 0 ? s.length() : b).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
