package io.sipflow.autodiff.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the pool stops and resumes spinning: a caller that waits for a core more than {@link HandOffMonitor#STOP_SHARE}
 * of its time stops it, less than {@link HandOffMonitor#RESUME_SHARE} resumes it; while it parks, every index still
 * runs exactly once.
 */
class HandOffMonitorTest {
    private static final long MS = 1_000_000;
    private final int threadsBefore = Parallel.threads();
    private long waited;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** Advances the fake wait clock by {@code share} of each 20 ms sample, {@code samples} times, from {@code t}. */
    private long run(HandOffMonitor m, long t, double share, int samples) {
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < 20; k++) { // jobs 1 ms apart: only one in twenty samples
                t += MS;
                waited += (long) (share * MS);
                m.observe(t);
            }
        }
        return t;
    }

    @Test
    void aQuietCallerKeepsSpinning() {
        HandOffMonitor m = new HandOffMonitor(() -> waited);
        run(m, 0, 0.05, 50);
        assertTrue(m.spinning());
        assertEquals(HandOffMonitor.SPIN_NANOS, m.spinNanos());
        assertEquals(0, m.switches());
    }

    @Test
    void waitingForACoreStopsSpinningAndAQuietSpellResumesIt() {
        HandOffMonitor m = new HandOffMonitor(() -> waited);
        long t = run(m, 0, 0.05, 3);
        t = run(m, t, 0.8, 2);
        assertFalse(m.spinning(), "80 % of the time waiting for a core");
        assertEquals(0, m.spinNanos());
        t = run(m, t, 0.2, 5);
        assertFalse(m.spinning(), "between the marks: no change");
        run(m, t, 0.02, 2);
        assertTrue(m.spinning(), "2 %: spinning again");
        assertEquals(2, m.switches());
    }

    @Test
    void theRealClockCountsUpOrIsUnknown() {
        long a = HandOffMonitor.runQueueWait();
        long b = HandOffMonitor.runQueueWait();
        assertTrue(a == -1 ? b == -1 : b >= a, a + " then " + b);
    }

    @Test
    void aParkingPoolRunsEveryIndexOnce() {
        Parallel.setThreads(3);
        Parallel.pool().monitor().decide(1.0);
        for (int round = 0; round < 300; round++) {
            int n = 1 + round * 13;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            Parallel.forRange(n, 1 + round % 3, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "index " + i + " of " + n);
            }
        }
    }
}
